package dev.restflow.cache.stream

/**
 * Key names of one queue. Both keys carry the queue name as hash tag (`rf:{name}:…`), so they live in one Redis
 * Cluster slot and the dead-letter move (a script touching both) is legal on a cluster.
 */
internal class StreamKeys(name: String) {
    init {
        require(name.isNotBlank() && '{' !in name && '}' !in name) { "a stream queue name must be non-blank and free of braces, got '$name'" }
    }

    val stream: String = "rf:{$name}:stream"
    val deadLetters: String = "rf:{$name}:dead"
}
