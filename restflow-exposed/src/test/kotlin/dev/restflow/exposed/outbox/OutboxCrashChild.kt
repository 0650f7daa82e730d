package dev.restflow.exposed.outbox

import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.concurrent.CountDownLatch

/**
 * The child JVM of [OutboxCrashTest]; it never exits by itself, the parent kills it with SIGKILL.
 *
 * `commit <jdbcUrl> <user> <password> <product>`: commits a product and its outbox row in one transaction, prints
 * `COMMITTED`, then waits forever (no relay runs in this process).
 *
 * `relay <jdbcUrl> <user> <password>`: runs one relay pass whose handler prints `HANDLING <payload>` and then waits
 * forever, so the process dies after the handler started and before the row is marked done.
 */
object OutboxCrashChild {
    @JvmStatic
    fun main(args: Array<String>) {
        val db = Database.connect(args[1], "org.postgresql.Driver", args[2], args[3])
        when (args[0]) {
            "commit" -> {
                transaction(db) {
                    OutboxProducts.insert { it[name] = args[4] }
                    Outbox.enqueue("""{"evict":["products:${args[4]}"]}""")
                }
                println("COMMITTED")
            }
            "relay" -> {
                val relay = OutboxRelay.builder(db).handler(OutboxHandler { payload ->
                    println("HANDLING $payload")
                    System.out.flush()
                    CountDownLatch(1).await()
                }).build()
                relay.relayOnceBlocking()
            }
            else -> error("unknown mode ${args[0]}")
        }
        System.out.flush()
        CountDownLatch(1).await()
    }
}
