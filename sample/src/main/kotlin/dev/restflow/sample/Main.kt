package dev.restflow.sample

import org.slf4j.LoggerFactory
import kotlin.system.exitProcess

/**
 * Starts the shop from the environment (see `sample/README.md`) and blocks until it stops. SIGTERM or Ctrl-C
 * stops it gracefully through Ktor's shutdown hook.
 */
fun main() {
    val log = LoggerFactory.getLogger("dev.restflow.sample.Main")
    val config = try {
        SampleConfig.fromEnvironment(System.getenv())
    } catch (e: IllegalArgumentException) {
        log.error("Invalid configuration: {}", e.message)
        exitProcess(2)
    }
    val server = try {
        ShopServer.start(config)
    } catch (e: Exception) {
        log.error("The shop failed to start", e)
        exitProcess(1)
    }
    server.awaitStop()
}
