package dev.restflow.ktor;

import dev.restflow.ktor.error.ApiException;
import dev.restflow.ktor.error.ErrorCodes;
import dev.restflow.ktor.settings.JwtAlgorithm;
import dev.restflow.ktor.settings.RestflowConfigurationException;
import dev.restflow.ktor.settings.RestflowSettings;
import dev.restflow.ktor.settings.RestflowSettingsBuilder;
import dev.restflow.ktor.settings.ThrottleRate;
import io.ktor.server.config.MapApplicationConfig;
import kotlin.Pair;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestflowJavaTest {
    @Test
    void settingsAreBuiltFromJava() {
        RestflowSettingsBuilder builder = RestflowSettings.builder()
                .applyConfig(new MapApplicationConfig(List.of(new Pair<>("restflow.pagination.page-size", "25"))));
        builder.getJwt().setSigningKey("java-secret");
        builder.getJwt().setAlgorithm(JwtAlgorithm.HS512);
        builder.getJwt().setAccessTokenLifetime(Duration.ofMinutes(15));
        builder.getThrottle().rate("anon", "60/min").rate("burst", ThrottleRate.of(5, Duration.ofSeconds(1)));
        builder.getCache().getDispatchers().getThreadpool().setMaxWorkers(2);
        RestflowSettings settings = builder.build();

        assertEquals(25, settings.getPagination().getPageSize());
        assertEquals(JwtAlgorithm.HS512, settings.getJwt().getAlgorithm());
        assertEquals(Duration.ofMinutes(15), settings.getJwt().getAccessTokenLifetime());
        assertEquals(ThrottleRate.parse("60/min"), settings.getThrottle().rate("anon"));
        assertEquals(2, settings.getCache().getDispatchers().getThreadpool().getMaxWorkers());
        assertEquals(null, settings.getCache().getDispatchers().getInline().getRaiseException());
    }

    @Test
    void invalidSettingsFailWithEveryProblem() {
        RestflowSettingsBuilder builder = RestflowSettings.builder();
        builder.getJwt().setUserIdField("password");
        builder.getPagination().setPageSize(0);
        RestflowConfigurationException e = assertThrows(RestflowConfigurationException.class, builder::build);
        assertEquals(2, e.getProblems().size());
        assertTrue(e.getMessage().contains("restflow.jwt.user-id-field"));
    }

    @Test
    void apiExceptionsAreThrownFromJava() {
        ApiException e = assertThrows(ApiException.class, () -> {
            throw new ApiException(409, ErrorCodes.CONFLICT, "Already reviewed.", Map.of("product", List.of("Duplicate.")));
        });
        assertEquals(409, e.getStatus().getValue());
        assertEquals("{\"error\":{\"code\":\"conflict\",\"message\":\"Already reviewed.\",\"details\":{\"product\":[\"Duplicate.\"]}}}",
                e.toEnvelope().toJson());

        ApiException throttled = ApiException.throttled(3);
        assertEquals(List.of("3"), throttled.getHeaders().get("Retry-After"));
        assertEquals("{\"error\":{\"code\":\"not_found\",\"message\":\"Not found.\",\"details\":{}}}",
                ApiException.notFound().toEnvelope().toJson());
    }
}
