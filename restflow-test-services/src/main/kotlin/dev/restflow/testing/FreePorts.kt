package dev.restflow.testing

import java.net.InetAddress
import java.net.ServerSocket

/** Picks ports that are free on the loopback interface right now. */
internal object FreePorts {
    fun next(): Int = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }
}
