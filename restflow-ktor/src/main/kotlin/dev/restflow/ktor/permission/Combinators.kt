package dev.restflow.ktor.permission

import dev.restflow.ktor.restflowKey
import io.ktor.server.application.ApplicationCall

/** Which side of a combination denied, so the 403 carries that permission's message and code. */
private val lastDenied = restflowKey<MutableMap<Permission, Permission>>("restflow.permission.denied")

internal fun recordDenial(call: ApplicationCall, combined: Permission, side: Permission) {
    call.attributes.computeIfAbsent(lastDenied) { HashMap() }[combined] = side
}

/** The innermost permission responsible for [permission]'s denial on [call]. */
internal fun denialOf(call: ApplicationCall, permission: Permission): Permission {
    var current = permission
    while (true) {
        val next = call.attributes.getOrNull(lastDenied)?.get(current) ?: return current
        if (next === current) return current
        current = next
    }
}

internal class AndPermission(private val a: Permission, private val b: Permission) : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean {
        if (!a.hasPermission(call)) return denied(call, a)
        if (!b.hasPermission(call)) return denied(call, b)
        return true
    }

    override suspend fun hasObjectPermission(call: ApplicationCall, obj: Any): Boolean {
        if (!a.hasObjectPermission(call, obj)) return denied(call, a)
        if (!b.hasObjectPermission(call, obj)) return denied(call, b)
        return true
    }

    private fun denied(call: ApplicationCall, side: Permission): Boolean {
        recordDenial(call, this, side)
        return false
    }

    override fun toString(): String = "($a and $b)"
}

internal class OrPermission(private val a: Permission, private val b: Permission) : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean =
        a.hasPermission(call) || b.hasPermission(call).also { if (!it) recordDenial(call, this, b) }

    override suspend fun hasObjectPermission(call: ApplicationCall, obj: Any): Boolean {
        if (a.hasPermission(call) && a.hasObjectPermission(call, obj)) return true
        if (b.hasPermission(call) && b.hasObjectPermission(call, obj)) return true
        recordDenial(call, this, b)
        return false
    }

    override fun toString(): String = "($a or $b)"
}

internal class NotPermission(private val p: Permission) : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean = !p.hasPermission(call)
    override suspend fun hasObjectPermission(call: ApplicationCall, obj: Any): Boolean = !p.hasObjectPermission(call, obj)
    override fun toString(): String = "not $p"
}
