package dev.restflow.ktor.settings

import java.time.Duration

/** Collects configuration problems so that start-up reports all of them at once. */
internal class Problems {
    private val list = mutableListOf<String>()

    fun add(problem: String) {
        list += problem
    }

    fun addAll(other: Problems) {
        list += other.list
    }

    fun positive(path: String, value: Duration) {
        if (value.isZero || value.isNegative) add("$path: must be a positive duration, got $value")
    }

    fun notBlank(path: String, value: String) {
        if (value.isBlank()) add("$path: must not be blank")
    }

    fun atLeast(path: String, value: Long, min: Long) {
        if (value < min) add("$path: must be at least $min, got $value")
    }

    fun throwIfAny() {
        if (list.isNotEmpty()) throw RestflowConfigurationException(list.toList())
    }
}
