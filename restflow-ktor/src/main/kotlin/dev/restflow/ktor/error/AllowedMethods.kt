package dev.restflow.ktor.error

import io.ktor.http.HttpMethod
import io.ktor.server.routing.HttpMethodRouteSelector
import io.ktor.server.routing.PathSegmentConstantRouteSelector
import io.ktor.server.routing.PathSegmentOptionalParameterRouteSelector
import io.ktor.server.routing.PathSegmentParameterRouteSelector
import io.ktor.server.routing.PathSegmentTailcardRouteSelector
import io.ktor.server.routing.PathSegmentWildcardRouteSelector
import io.ktor.server.routing.RoutingNode
import io.ktor.server.routing.TrailingSlashRouteSelector

/**
 * Finds the methods the routing tree serves for a path, for the `Allow` header of a 405.
 *
 * Walks the tree like Ktor's resolver does for the path selectors; other selectors (headers, parameters,
 * authentication, ...) are treated as passing, so the answer is the set of methods some route could serve.
 */
internal object AllowedMethods {
    private val ORDER = listOf(
        HttpMethod.Get, HttpMethod.Head, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch,
        HttpMethod.Delete, HttpMethod.Options,
    )

    fun find(root: RoutingNode, path: String): List<HttpMethod> {
        val segments = path.substringBefore('?').split('/').filter { it.isNotEmpty() }
        val found = linkedSetOf<HttpMethod>()
        walk(root, segments, 0, found)
        return found.sortedBy { ORDER.indexOf(it).let { i -> if (i < 0) Int.MAX_VALUE else i } }
    }

    private fun walk(node: RoutingNode, segments: List<String>, index: Int, found: MutableSet<HttpMethod>) {
        val selector = node.selector
        val next: List<Int> = when (selector) {
            is PathSegmentConstantRouteSelector ->
                if (index < segments.size && segments[index] == selector.value) listOf(index + 1) else emptyList()
            is PathSegmentParameterRouteSelector ->
                if (index < segments.size && matchesAffixes(segments[index], selector.prefix, selector.suffix)) {
                    listOf(index + 1)
                } else {
                    emptyList()
                }
            is PathSegmentOptionalParameterRouteSelector ->
                if (index < segments.size && matchesAffixes(segments[index], selector.prefix, selector.suffix)) {
                    listOf(index, index + 1)
                } else {
                    listOf(index)
                }
            is PathSegmentWildcardRouteSelector -> if (index < segments.size) listOf(index + 1) else emptyList()
            is PathSegmentTailcardRouteSelector -> listOf(segments.size)
            is TrailingSlashRouteSelector -> listOf(index)
            else -> listOf(index)
        }
        for (i in next) {
            if (selector is HttpMethodRouteSelector && i == segments.size && node.hasHandler()) found += selector.method
            node.children.forEach { walk(it, segments, i, found) }
        }
    }

    private fun matchesAffixes(segment: String, prefix: String?, suffix: String?): Boolean =
        (prefix == null || segment.startsWith(prefix)) && (suffix == null || segment.endsWith(suffix))
}
