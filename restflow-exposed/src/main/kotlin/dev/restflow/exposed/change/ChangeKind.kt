package dev.restflow.exposed.change

/** What a write statement did to its table. */
public enum class ChangeKind {
    /** `insert`, `batchInsert`, `insertIgnore`, a DAO `new`. */
    INSERT,

    /** `update`, a DAO property write flushed. */
    UPDATE,

    /** `deleteWhere`, `deleteAll`, a DAO `delete()`. */
    DELETE,

    /** `upsert`, `batchUpsert`, `replace`: a row inserted or changed. */
    UPSERT,
}
