package dev.restflow.ktor.view

import dev.restflow.ktor.serializer.ValidatedData
import io.ktor.server.application.ApplicationCall
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.dao.Entity

/**
 * What a write hook sees. Hooks run inside the write's transaction, so their own Exposed statements commit or roll
 * back with it; throwing (e.g. an [dev.restflow.ktor.error.ApiException]) rolls everything back.
 *
 * - `beforeCreate`: [data] (change it to write more, e.g. the owner); [instance] and [row] are `null`.
 * - `afterCreate`: [data] and the inserted [row].
 * - `beforeUpdate`: [data] and the row as it was ([instance]).
 * - `afterUpdate`: [data], [instance] and the updated [row].
 * - `beforeDestroy` / `afterDestroy`: the [instance] being deleted; [data] is empty.
 */
public class HookContext internal constructor(
    /** The call being served. */
    public val call: ApplicationCall,
    /** The validated values being written. */
    public val data: ValidatedData,
    /** The existing row (update and destroy), or `null`. */
    public val instance: ResultRow?,
    /** The row after the write (after-hooks of create and update), or `null`. */
    public val row: ResultRow?,
    /**
     * For a viewset over a DAO entity class: the entity written (after-create; before/after update; before/after
     * destroy), already flushed after the write; `null` otherwise.
     */
    public val entity: Entity<*>? = null,
)
