package dev.restflow.ktor.view

import dev.restflow.ktor.restflowKey
import io.ktor.util.AttributeKey

/**
 * What a viewset or generic view mounted on a route node, recorded on that node's attributes so documentation
 * (the OpenAPI generator) can find every registered action by walking the routing tree.
 */
internal class ViewSetRouteMark(val viewSet: ViewSetContext, val detail: Boolean) {
    companion object {
        val KEY: AttributeKey<ViewSetRouteMark> = restflowKey("restflow.view.viewSetRoute")
    }
}
