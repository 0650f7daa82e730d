package dev.restflow.exposed.filter

/** Where `NULL`s sort in an ordering key. */
public enum class Nulls {
    /** The database's default placement. */
    DEFAULT,

    /** `NULL`s before every value, whatever the direction. */
    FIRST,

    /** `NULL`s after every value, whatever the direction. */
    LAST,
}
