package dev.restflow.ktor.permission

import io.ktor.server.application.ApplicationCall
import kotlinx.coroutines.future.await
import java.util.concurrent.CompletionStage
import java.util.function.Predicate

/**
 * Decides whether a call may proceed ([hasPermission], checked before the handler) and whether it may act on one
 * object ([hasObjectPermission], checked by detail actions on the row or entity they loaded).
 *
 * Implement it with the [Permission] factory (`Permission { call -> … }`), by subclassing, or from Java with
 * [blocking]/[async]. Combine with [and], [or] and [not]; all three short-circuit. A denial answers 403 with
 * [message] and [code], or 401 when the caller is not authenticated and a challenge is available (see
 * [checkPermissions]). Checks run on the call's coroutine; an exception they throw propagates (an [ApiException]
 * renders as itself, anything else as a 500).
 *
 * Kotlin does not allow an abstract `suspend` function in a `fun interface`, hence an interface with a factory.
 */
public interface Permission {
    /** Whether [call] may proceed at all. */
    public suspend fun hasPermission(call: ApplicationCall): Boolean

    /**
     * Whether [call] may act on [obj] (an Exposed `ResultRow` or DAO `Entity`, or any object a handler loaded);
     * `true` by default. Only asked after [hasPermission] passed.
     */
    public suspend fun hasObjectPermission(call: ApplicationCall, obj: Any): Boolean = true

    /** The message of the 403 when this permission denies. */
    public val message: String get() = DEFAULT_MESSAGE

    /** The error code of the 403 when this permission denies (default `permission_denied`). */
    public val code: String get() = DEFAULT_CODE

    /** Both this and [other]; [other] is not evaluated when this denies. Denials report the failing side. */
    public infix fun and(other: Permission): Permission = AndPermission(this, other)

    /**
     * This or [other]; [other] is not evaluated when this allows. Object checks follow DRF 3.15:
     * `(A.has && A.hasObject) || (B.has && B.hasObject)`.
     */
    public infix fun or(other: Permission): Permission = OrPermission(this, other)

    /** The negation of this permission (object checks are negated too, as in DRF). */
    public operator fun not(): Permission = NotPermission(this)

    public companion object {
        /** The default denial message, DRF's. */
        public const val DEFAULT_MESSAGE: String = "You do not have permission to perform this action."

        /** The default denial code. */
        public const val DEFAULT_CODE: String = "permission_denied"

        /** Java: a permission from a blocking [check] (run on the call's coroutine; keep it non-blocking-fast). */
        @JvmStatic
        @JvmOverloads
        public fun blocking(
            check: Predicate<ApplicationCall>,
            message: String = DEFAULT_MESSAGE,
            code: String = DEFAULT_CODE,
        ): Permission = FunctionPermission(message, code) { check.test(it) }

        /** Java: a permission from an asynchronous [check]; the call waits for the stage without blocking a thread. */
        @JvmStatic
        @JvmOverloads
        public fun async(
            check: java.util.function.Function<ApplicationCall, out CompletionStage<Boolean>>,
            message: String = DEFAULT_MESSAGE,
            code: String = DEFAULT_CODE,
        ): Permission = FunctionPermission(message, code) { check.apply(it).await() }

        /** Java: [first] and [second] ([Permission.and]). */
        @JvmStatic
        public fun allOf(first: Permission, vararg rest: Permission): Permission = rest.fold(first) { a, b -> a and b }

        /** Java: [first] or [second] ([Permission.or]). */
        @JvmStatic
        public fun anyOf(first: Permission, vararg rest: Permission): Permission = rest.fold(first) { a, b -> a or b }

        /** Java: the negation of [permission]. */
        @JvmStatic
        public fun negate(permission: Permission): Permission = !permission
    }
}

/**
 * A permission from a suspending [check] of the call: `Permission { it.request.headers["X-Key"] == key }`;
 * [message] and [code] describe the denial.
 */
public fun Permission(
    message: String = Permission.DEFAULT_MESSAGE,
    code: String = Permission.DEFAULT_CODE,
    check: suspend (ApplicationCall) -> Boolean,
): Permission = FunctionPermission(message, code, check)

internal class FunctionPermission(
    override val message: String,
    override val code: String,
    private val check: suspend (ApplicationCall) -> Boolean,
) : Permission {
    override suspend fun hasPermission(call: ApplicationCall): Boolean = check(call)
    override fun toString(): String = "Permission($message)"
}
