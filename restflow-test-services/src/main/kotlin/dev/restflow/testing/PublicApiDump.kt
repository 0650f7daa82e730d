package dev.restflow.testing

import kotlinx.validation.api.dump
import kotlinx.validation.api.filterOutNonPublic
import kotlinx.validation.api.loadApiFromJvmClasses
import java.io.File

/**
 * Checks a module's public binary API against its checked-in dump `api/<module>.api`, in the format of Kotlin's
 * binary-compatibility-validator.
 *
 * Run with `-Drestflow.api.update=true` (or env `RESTFLOW_API_UPDATE=true`) to rewrite the dump after an
 * intended API change; commit the dump with the change.
 */
public object PublicApiDump {
    /**
     * Dumps the public API of [moduleDir]`/target/classes` and compares it with [moduleDir]`/api/<module>.api`.
     *
     * @return `null` when they match (or the dump was rewritten), otherwise a message with both versions.
     */
    @JvmStatic
    public fun check(moduleDir: File, moduleName: String = moduleDir.name): String? {
        val classes = File(moduleDir, "target/classes")
        require(classes.isDirectory) { "$classes does not exist: compile the module first" }
        val actual = dumpOf(classes)
        val file = File(moduleDir, "api/$moduleName.api")
        val update = System.getProperty("restflow.api.update") == "true" || System.getenv("RESTFLOW_API_UPDATE") == "true"
        if (update) {
            file.parentFile.mkdirs()
            file.writeText(actual)
            return null
        }
        val expected = if (file.isFile) file.readText() else ""
        if (expected == actual) return null
        return buildString {
            appendLine("The public API of $moduleName differs from ${file.path}.")
            appendLine("If the change is intended, run the tests with -Drestflow.api.update=true and commit the dump.")
            appendLine("--- expected (checked in)")
            appendLine(expected)
            appendLine("--- actual")
            append(actual)
        }
    }

    /** The dump text of the classes under [classesDir]. */
    @JvmStatic
    public fun dumpOf(classesDir: File): String {
        val files = classesDir.walkTopDown().filter { it.isFile && it.name.endsWith(".class") }.sortedBy { it.path }.toList()
        val streams = files.asSequence().map { it.inputStream() }
        val api = streams.loadApiFromJvmClasses().filterOutNonPublic()
        return api.dump(StringBuilder()).toString()
    }

    /** The module directory surefire runs in (`restflow.moduleDir`, else the working directory). */
    @JvmStatic
    public fun currentModuleDir(): File = File(System.getProperty("restflow.moduleDir") ?: ".").absoluteFile
}
