package dev.restflow.benchmarks

import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.exposed.pagination.Paginators
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.viewSet
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.add
import kotlinx.serialization.json.addJsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.greaterEq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.suspendTransaction
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import java.util.UUID

/**
 * The application of the ViewSetList benchmark: 1,000 products in an in-memory H2 database, listed by a viewset at
 * `/vs/products` and by a hand-written route at `/hw/products` that renders the same JSON.
 */
public object ViewSetApp {
    /** Rows in the table. */
    public const val ROWS: Int = 1000

    /** Page size of both endpoints. */
    public const val PAGE_SIZE: Int = 20

    /**
     * A fresh database with [ROWS] products (prices 0..99, so orderings need the id tie-break), behind a HikariCP pool
     * of 8 connections (without a pool every transaction opens an H2 session, which dominates). The system property
     * `restflow.bench.h2` is appended to the JDBC URL (`;TRACE_LEVEL_SYSTEM_OUT=2` prints the SQL of every call).
     */
    @JvmStatic
    public fun database(): Database =
        Database.connect(HikariDataSource(HikariConfig().apply {
            jdbcUrl = "jdbc:h2:mem:bench-${UUID.randomUUID()};DB_CLOSE_DELAY=-1${System.getProperty("restflow.bench.h2", "")}"
            maximumPoolSize = 8
        })).also { db ->
            transaction(db) {
                SchemaUtils.create(Products)
                Products.batchInsert(1..ROWS) { i ->
                    this[Products.name] = "product $i"
                    this[Products.price] = (i * 37) % 100
                    this[Products.stock] = i % 7
                    this[Products.active] = i % 3 != 0
                }
            }
        }

    /** Serves both endpoints over [db]. */
    @JvmStatic
    public fun server(db: Database): BenchServer = BenchServer(emptyMap()) { module(db) }

    private fun Application.module(db: Database) {
        val access = DatabaseAccess(db)
        install(Restflow)
        routing {
            viewSet("/vs/products", Products) {
                database(access)
                serializer(serializer(Products))
                filters(filterSet(Products) {
                    field(Products.price) { comparison() }
                    field(Products.stock) { comparison() }
                    ordering { key("price", Products.price) }
                })
                pagination(Paginators.pageNumber(PAGE_SIZE, 100))
            }
            get("/hw/products") { handWritten(call, access) }
        }
    }

    private suspend fun handWritten(call: io.ktor.server.application.ApplicationCall, access: DatabaseAccess) {
        val params = call.request.queryParameters
        val minPrice = params["price__gte"]?.toIntOrNull()
        val order = when (params["order_by"]) {
            null, "price" -> SortOrder.ASC
            "-price" -> SortOrder.DESC
            else -> null
        }
        val page = params["page"]?.toIntOrNull() ?: 1
        if (minPrice == null || order == null || page < 1) {
            call.respondText("""{"error":"bad request"}""", ContentType.Application.Json, HttpStatusCode.BadRequest)
            return
        }
        val body = withContext(access.dispatcher) {
            suspendTransaction(db = access.database) {
                val count = Products.selectAll().where { Products.price greaterEq minPrice }.count()
                val rows = Products.selectAll().where { Products.price greaterEq minPrice }
                    .orderBy(Products.price to order, Products.id to SortOrder.ASC)
                    .limit(PAGE_SIZE).offset(((page - 1) * PAGE_SIZE).toLong())
                    .toList()
                val base = "http://localhost/hw/products?price__gte=$minPrice&order_by=${params["order_by"]}"
                val pages = (count + PAGE_SIZE - 1) / PAGE_SIZE
                buildJsonObject {
                    put("count", count)
                    put("next", if (page < pages) JsonPrimitive("$base&page=${page + 1}") else JsonNull)
                    put("previous", if (page > 1) JsonPrimitive(if (page == 2) base else "$base&page=${page - 1}") else JsonNull)
                    putJsonArray("results") {
                        for (r in rows) addJsonObject {
                            put("id", r[Products.id].value)
                            put("name", r[Products.name])
                            put("price", r[Products.price])
                            put("stock", r[Products.stock])
                            put("active", r[Products.active])
                        }
                    }
                }.toString()
            }
        }
        call.respondText(body, ContentType.Application.Json)
    }
}
