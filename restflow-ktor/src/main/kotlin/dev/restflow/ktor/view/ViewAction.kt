package dev.restflow.ktor.view

import io.ktor.http.HttpMethod

/** The standard actions of a viewset, with the method and path kind each is served on. */
public enum class ViewAction(
    /** The HTTP method of the action. */
    public val method: HttpMethod,
    /** Whether the action is served on the detail path (`/products/{id}`) rather than the collection path. */
    public val detail: Boolean,
) {
    /** `GET /products`: the filtered, ordered, paginated list. */
    LIST(HttpMethod.Get, false),

    /** `POST /products`: validate, insert, answer 201 with `Location`. */
    CREATE(HttpMethod.Post, false),

    /** `GET /products/{id}`. */
    RETRIEVE(HttpMethod.Get, true),

    /** `PUT /products/{id}`: every required writable field. */
    UPDATE(HttpMethod.Put, true),

    /** `PATCH /products/{id}`: only the fields given. */
    PARTIAL_UPDATE(HttpMethod.Patch, true),

    /** `DELETE /products/{id}`: 204 with an empty body. */
    DESTROY(HttpMethod.Delete, true),
    ;

    public companion object {
        /** The actions of a read-only viewset. */
        @JvmStatic
        public val READ_ONLY: Set<ViewAction> = setOf(LIST, RETRIEVE)

        /** Every standard action. */
        @JvmStatic
        public val ALL: Set<ViewAction> = entries.toSet()
    }
}
