package dev.restflow.cache.key

import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.elementDescriptors

/**
 * A short digest of a serializable type's shape: its serial names, kinds, element names, optionality and
 * nullability, recursively. Adding, removing, renaming or retyping a field changes it; reordering code does not.
 */
internal object SchemaFingerprint {
    fun of(descriptor: SerialDescriptor): String {
        val text = StringBuilder()
        describe(descriptor, text, HashSet())
        return KeyHashAlgorithm.SHA256.hash(text.toString().toByteArray()).take(12)
    }

    private fun describe(d: SerialDescriptor, out: StringBuilder, seen: MutableSet<String>) {
        out.append(d.serialName).append('/').append(d.kind).append(if (d.isNullable) "?" else "")
        if (!seen.add(d.serialName)) {
            out.append("^;")
            return
        }
        out.append('{')
        d.elementDescriptors.forEachIndexed { i, child ->
            out.append(d.getElementName(i)).append(if (d.isElementOptional(i)) "*" else "").append(':')
            describe(child, out, seen)
            out.append(';')
        }
        out.append('}')
        seen.remove(d.serialName)
    }
}
