package dev.restflow.docs

import java.io.File

/** One fenced code block of a Markdown file, with the HTML comment marker just above it (if any). */
class Fence(val file: File, val line: Int, val language: String, val marker: String?, val body: String) {
    override fun toString(): String = "${file.name}:$line ($language)"
}

/** Reads fenced code blocks and `// region name` … `// endregion` snippet regions. */
object MarkdownFences {
    private val MARKER = Regex("^<!--\\s*(.+?)\\s*-->$")

    fun of(file: File): List<Fence> {
        val lines = file.readLines()
        val fences = mutableListOf<Fence>()
        var i = 0
        while (i < lines.size) {
            val open = lines[i].trim()
            if (open.startsWith("```") && open.length > 3) {
                val language = open.removePrefix("```").trim()
                val start = i
                val body = mutableListOf<String>()
                i++
                while (i < lines.size && lines[i].trim() != "```") body += lines[i++]
                check(i < lines.size) { "${file.name}:${start + 1}: unclosed code fence" }
                val previous = lines.subList(0, start).lastOrNull { it.isNotBlank() }?.trim()
                val marker = previous?.let { MARKER.matchEntire(it)?.groupValues?.get(1) }
                fences += Fence(file, start + 1, language, marker, body.joinToString("\n"))
            }
            i++
        }
        return fences
    }

    /** The lines between `// region [name]` and the next `// endregion` in [source], de-indented. */
    fun region(source: File, name: String): String {
        val lines = source.readLines()
        val start = lines.indexOfFirst { it.trim() == "// region $name" }
        require(start >= 0) { "no '// region $name' in $source" }
        val end = (start + 1 until lines.size).firstOrNull { lines[it].trim() == "// endregion" }
            ?: error("region $name in $source is not closed")
        val body = lines.subList(start + 1, end)
        val indent = body.filter { it.isNotBlank() }.minOfOrNull { it.length - it.trimStart().length } ?: 0
        return body.joinToString("\n") { if (it.isBlank()) "" else it.substring(indent) }.trimEnd()
    }
}
