package dev.restflow.testing

import java.sql.Connection
import java.sql.DriverManager

/**
 * Connection details of one PostgreSQL database that a test may use.
 *
 * Obtained from [TestServices.postgres] (the shared database) or [TestServices.newPostgresDatabase]
 * (a database of its own, created empty).
 */
public class PostgresDatabase internal constructor(
    /** The JDBC URL, without credentials, e.g. `jdbc:postgresql://127.0.0.1:54321/postgres`. */
    public val jdbcUrl: String,
    /** The role to connect as. */
    public val user: String,
    /** The role's password (may be empty for a trusted local server). */
    public val password: String,
) {
    /** Opens a new JDBC connection; the caller closes it. */
    public fun connect(): Connection = DriverManager.getConnection(jdbcUrl, user, password)

    override fun toString(): String = "PostgresDatabase($jdbcUrl, user=$user)"
}
