package dev.restflow.docs

import com.typesafe.config.ConfigFactory
import dev.restflow.ktor.error.ErrorCodes
import dev.restflow.ktor.settings.RestflowConfigurationException
import dev.restflow.ktor.settings.RestflowSettings
import io.ktor.server.config.HoconApplicationConfig
import io.ktor.server.config.yaml.YamlConfig
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.io.File
import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * Keeps the guide honest: every Kotlin/Java snippet is the text of a region in a compiled (and mostly executed)
 * test source; every HOCON/YAML block is a valid Restflow config; every JSON error example is a real envelope;
 * the settings reference lists every key with its default; the errors page shows every code.
 */
class DocsTest {
    private val docsDir = File(System.getProperty("restflow.moduleDir") ?: ".").absoluteFile
    private val repoRoot = docsDir.parentFile
    private val pages = (docsDir.listFiles { f -> f.name.endsWith(".md") }!!.toList() + File(repoRoot, "README.md"))
        .sortedBy { it.path }
    private val fences = pages.flatMap(MarkdownFences::of)

    @Test
    fun `the guide has its pages`() {
        val names = pages.map { it.name }.toSet()
        listOf("index.md", "getting-started.md", "settings.md", "errors.md", "README.md").forEach {
            assertTrue(it in names, "$it is missing")
        }
    }

    @Test
    fun `every code snippet is a compiled region`() {
        val code = fences.filter { it.language in setOf("kotlin", "kt", "java") }
        assertTrue(code.isNotEmpty())
        for (fence in code) {
            val marker = fence.marker ?: fail("$fence has no <!-- snippet: path#region --> marker above it")
            assertTrue(marker.startsWith("snippet:"), "$fence: marker '$marker' is not a snippet marker")
            val (path, region) = marker.removePrefix("snippet:").trim().split('#', limit = 2)
            val source = File(repoRoot, path)
            assertTrue(source.isFile, "$fence: $path does not exist")
            assertEquals(MarkdownFences.region(source, region), fence.body.trimEnd(), "$fence differs from $path#$region")
        }
    }

    @Test
    fun `every hocon block is a valid config`() {
        for (fence in fences.filter { it.language == "hocon" }) {
            val config = HoconApplicationConfig(ConfigFactory.parseString(fence.body).resolve())
            if (fence.marker == "invalid-config") {
                val problems = runCatching { RestflowSettings.fromConfig(config) }.exceptionOrNull()
                assertTrue(problems is RestflowConfigurationException, "$fence should be rejected")
                val next = fences.first { it.file == fence.file && it.line > fence.line }
                assertEquals(next.body.trim(), problems.message!!.trim(), "$next should show the start-up error")
            } else {
                RestflowSettings.fromConfig(config)
            }
        }
    }

    @Test
    fun `every yaml block is a valid config`() {
        for (fence in fences.filter { it.language in setOf("yaml", "yml") }) {
            val file = Files.createTempFile("restflow-docs", ".yaml").toFile()
            try {
                file.writeText(fence.body)
                val config = YamlConfig(file.absolutePath) ?: fail("$fence: YAML not loaded")
                RestflowSettings.fromConfig(config)
            } finally {
                file.delete()
            }
        }
    }

    @Test
    fun `the settings reference lists every key with its default`() {
        val reference = fences.singleOrNull { it.marker == "reference-config" } ?: fail("settings.md needs one <!-- reference-config --> block")
        val parsed = ConfigFactory.parseString(reference.body)
        for (key in RestflowSettings.configKeys()) {
            assertTrue(parsed.hasPathOrNull(key), "the reference config lacks $key")
        }
        val settings = RestflowSettings.fromConfig(HoconApplicationConfig(parsed))
        assertEquals(RestflowSettings.defaults().toString(), settings.toString(), "the reference config must show the defaults")
        val page = File(docsDir, "settings.md").readText()
        for (key in RestflowSettings.configKeys()) {
            val name = key.substringAfterLast('.')
            assertTrue(Regex("`([a-z*-]+\\.)*${Regex.escape(name)}`").containsMatchIn(page), "settings.md does not describe `$name`")
        }
    }

    @Test
    fun `every json error example is a real envelope and every code has one`() {
        val codes = ErrorCodes::class.java.declaredFields
            .filter { java.lang.reflect.Modifier.isStatic(it.modifiers) && it.type == String::class.java }
            .map { it.get(null) as String }
            .toSet()
        val shown = mutableSetOf<String>()
        for (fence in fences.filter { it.language == "json" }) {
            val root = Json.parseToJsonElement(fence.body)
            val error = (root as? JsonObject)?.get("error")?.jsonObject ?: continue
            assertEquals(setOf("code", "message", "details"), error.keys, "$fence")
            val code = error.getValue("code").jsonPrimitive.content
            assertTrue(code in codes, "$fence: unknown code $code")
            assertTrue(error.getValue("details") is JsonObject, "$fence: details must be an object")
            if (fence.file.name == "errors.md") shown += code
        }
        assertEquals(codes, shown, "errors.md must show an example of every code")
    }
}
