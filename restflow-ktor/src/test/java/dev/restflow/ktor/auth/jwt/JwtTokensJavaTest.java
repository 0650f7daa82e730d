package dev.restflow.ktor.auth.jwt;

import dev.restflow.ktor.settings.RestflowSettings;
import dev.restflow.ktor.settings.RestflowSettingsBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class JwtTokensJavaTest {
    @Test
    void tokensAreIssuedAndVerifiedFromJava() {
        RestflowSettingsBuilder builder = RestflowSettings.builder();
        builder.getJwt().setSigningKey("a-java-secret-that-is-at-least-32-bytes");
        JwtTokens tokens = new JwtTokens(builder.build().getJwt());

        IssuedToken access = tokens.issue(TokenType.ACCESS, "42", Map.of("roles", List.of("staff")));
        TokenVerification result = tokens.verify(access.getToken(), TokenType.ACCESS);
        TokenVerification.Valid valid = assertInstanceOf(TokenVerification.Valid.class, result);
        assertEquals("42", valid.getToken().getUserId());
        assertEquals(List.of("staff"), valid.getToken().stringListClaim("roles"));

        TokenVerification wrongType = tokens.verify(access.getToken(), TokenType.REFRESH);
        assertEquals("Wrong token type, expected 'refresh'.", assertInstanceOf(TokenVerification.Invalid.class, wrongType).getMessage());
    }
}
