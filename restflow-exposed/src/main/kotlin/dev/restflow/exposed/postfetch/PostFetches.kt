package dev.restflow.exposed.postfetch

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.Table

/**
 * A [PostFetch] joined on one column pair, in the shape of drf-restflow's `PostFetch`:
 *
 * ```
 * val latestReview = postFetch(
 *     Reviews, attachAs = "latest_review", join = Reviews.product to Products.id,
 *     values = listOf(Reviews.id, Reviews.rating), orderBy = listOf(Reviews.createdAt to SortOrder.DESC), limit = 1,
 * )
 * ```
 *
 * [join] pairs a column of [table] with the parent's column; see [PostFetch] for multi-column joins and the rules.
 */
public fun postFetch(
    table: Table,
    attachAs: String,
    join: Pair<Column<*>, Column<*>>,
    values: List<Column<*>>,
    orderBy: List<Pair<Expression<*>, SortOrder>> = emptyList(),
    limit: Int? = null,
): PostFetch = PostFetch(table, attachAs, listOf(join), values, orderBy, limit)
