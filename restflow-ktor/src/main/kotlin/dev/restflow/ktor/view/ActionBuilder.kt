package dev.restflow.ktor.view

/**
 * Per-action configuration inside `action(ViewAction.CREATE) { … }`: serializers, query, guards and pagination that
 * apply to that action only.
 */
public class ActionBuilder internal constructor() : ViewOptions()
