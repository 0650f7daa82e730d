package dev.restflow.ktor.serializer

/** How a request body is validated: which fields are required and which are left untouched. */
public enum class WriteMode {
    /** `POST`: every required writable field must be present. */
    CREATE,

    /** `PUT`: like [CREATE] — every required writable field must be present — applied to an existing row. */
    UPDATE,

    /** `PATCH`: only the fields given are validated and written; nothing is required. */
    PARTIAL,
}
