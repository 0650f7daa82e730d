package dev.restflow.ktor.view

/**
 * An extra action of a viewset (`action("publish", detail = true, method = HttpMethod.Post) { handle { … } }`):
 * its own serializers, query and guards like any action, and the [handle] block that answers it.
 */
public class ExtraActionBuilder internal constructor() : ViewOptions() {
    internal var handler: (suspend (ExtraActionContext) -> Unit)? = null

    /** Answers the action; for a detail action the row is already looked up, scoped and checked. */
    public fun handle(handler: suspend (ExtraActionContext) -> Unit) {
        this.handler = handler
    }
}
