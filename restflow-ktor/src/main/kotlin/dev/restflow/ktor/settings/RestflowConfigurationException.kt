package dev.restflow.ktor.settings

/**
 * Restflow's configuration is invalid; thrown at application start-up, never while serving a request.
 *
 * The message lists every problem found, one a line, each naming the full key path (e.g.
 * `restflow.jwt.algorithm`) and, where there is a fixed set, the valid choices.
 */
public class RestflowConfigurationException(
    /** Every problem found, each a full sentence starting with the key path. */
    public val problems: List<String>,
) : IllegalArgumentException(
    "Invalid Restflow configuration:\n" + problems.joinToString("\n") { "  - $it" },
)
