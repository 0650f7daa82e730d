package dev.restflow.ktor.permission

import dev.restflow.ktor.auth.RestflowPrincipal
import io.ktor.http.HttpMethod
import io.ktor.server.application.ApplicationCall
import io.ktor.server.auth.principal
import io.ktor.server.request.httpMethod
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.dao.Entity

/** Whether the call carries a principal of any type (Ktor's `call.principal<Any>()`). */
public fun ApplicationCall.isAuthenticated(): Boolean = principal<Any>() != null

/** Every call passes (DRF `AllowAny`). */
public object AllowAny : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean = true
    override fun toString(): String = "AllowAny"
}

/** Calls with a principal pass (DRF `IsAuthenticated`). */
public object IsAuthenticated : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean = call.isAuthenticated()
    override fun toString(): String = "IsAuthenticated"
}

/** Calls whose [RestflowPrincipal] user is staff pass (DRF `IsAdminUser`); R-17. */
public object IsAdminUser : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean =
        call.principal<RestflowPrincipal>()?.user?.isStaff == true
    override fun toString(): String = "IsAdminUser"
}

/** Safe methods (GET, HEAD, OPTIONS) pass for everyone, others need a principal (DRF `IsAuthenticatedOrReadOnly`). */
public object IsAuthenticatedOrReadOnly : Permission {
    private val SAFE = setOf(HttpMethod.Get, HttpMethod.Head, HttpMethod.Options)
    override suspend fun hasPermission(call: ApplicationCall): Boolean =
        call.request.httpMethod in SAFE || call.isAuthenticated()
    override fun toString(): String = "IsAuthenticatedOrReadOnly"
}

/**
 * Object permission: the object's [column] holds the authenticated [RestflowPrincipal]'s user id. The object is an
 * Exposed `ResultRow` containing [column] or a DAO `Entity` whose table has it; `EntityID` values compare by their
 * value, and values compare as text with [dev.restflow.ktor.auth.AuthUser.id]. [hasPermission] requires a
 * Restflow principal. Other object types, or a row without the column, deny.
 */
public class IsOwner(private val column: Column<*>) : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean = call.principal<RestflowPrincipal>() != null

    override suspend fun hasObjectPermission(call: ApplicationCall, obj: Any): Boolean {
        val userId = call.principal<RestflowPrincipal>()?.user?.id ?: return false
        val value = ownerValue(obj) ?: return false
        val plain = if (value is EntityID<*>) value.value else value
        return plain.toString() == userId
    }

    private fun ownerValue(obj: Any): Any? = when (obj) {
        is ResultRow -> if (obj.hasValue(column)) obj[column] else null
        is Entity<*> -> if (obj.readValues.hasValue(column)) obj.readValues[column] else null
        else -> null
    }

    override fun toString(): String = "IsOwner(${column.name})"
}

/**
 * The access token carries claim [name] — equal to [value] when given (compared as text, so `"3"` matches the
 * number `3` and `"true"` the boolean; in a list claim, containing it). Needs a JWT-authenticated
 * [RestflowPrincipal]: other callers are denied (401 when anonymous and a challenge is available, else 403).
 */
public class HasClaim @JvmOverloads constructor(private val name: String, private val value: String? = null) : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean {
        val token = call.principal<RestflowPrincipal>()?.token ?: return false
        val claim = token.claimValues(name) ?: return false
        return value == null || value in claim
    }
    override fun toString(): String = "HasClaim($name${value?.let { "=$it" } ?: ""})"
}

/**
 * The access token's [claim] (default `roles`; a list, or a space- or comma-separated string such as OAuth's
 * `scope`) contains [role] exactly (no prefix or substring match). Needs a JWT-authenticated [RestflowPrincipal]:
 * other callers are denied (401 when anonymous and a challenge is available, else 403).
 */
public class HasRole @JvmOverloads constructor(private val role: String, private val claim: String = "roles") : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean {
        val token = call.principal<RestflowPrincipal>()?.token ?: return false
        val values = token.claimValues(claim) ?: return false
        return values.flatMap { it.split(' ', ',') }.any { it == role }
    }
    override fun toString(): String = "HasRole($role)"
}

private fun dev.restflow.ktor.auth.jwt.VerifiedToken.claimValues(name: String): List<String>? = claimTexts(name)
