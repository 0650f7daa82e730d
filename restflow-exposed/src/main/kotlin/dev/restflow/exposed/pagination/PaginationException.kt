package dev.restflow.exposed.pagination

/** A page that cannot be served; the Ktor layer answers it in the error envelope. */
public sealed class PaginationException(message: String) : RuntimeException(message) {
    /** A page number that is not an integer, is below 1 or is past the last page: 404 "Invalid page.". */
    public class InvalidPage : PaginationException("Invalid page.")

    /** A cursor that is malformed, tampered with or signed with another key: 400 "Invalid cursor.". */
    public class InvalidCursor : PaginationException("Invalid cursor.")

    /** An offset past the configured cap: 400, pointing at the cursor paginator. */
    public class OffsetTooDeep(maxOffset: Long) :
        PaginationException("Offsets beyond $maxOffset are not served; use cursor pagination to walk further.")
}
