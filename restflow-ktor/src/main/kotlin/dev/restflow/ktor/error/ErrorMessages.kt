package dev.restflow.ktor.error

/** Cleans messages of parsers before they reach a client: one short line, no class names, no echoed input. */
internal object ErrorMessages {
    private val QUALIFIED_NAME = Regex("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)")
    private const val MAX_LENGTH = 200

    fun sanitize(raw: String?): String {
        val firstLine = raw.orEmpty().lineSequence().firstOrNull { it.isNotBlank() }?.trim() ?: return "malformed input."
        val cut = firstLine.substringBefore(" JSON input:").replace(QUALIFIED_NAME) { it.groupValues[1] }
        return if (cut.length > MAX_LENGTH) cut.take(MAX_LENGTH) + "…" else cut
    }

    /** `not_acceptable`-style code from a status description: "Request Timeout" → `request_timeout`. */
    fun codeOf(description: String): String =
        description.lowercase().replace(Regex("[^a-z0-9]+"), "_").trim('_').ifEmpty { "error" }
}
