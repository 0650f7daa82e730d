package dev.restflow.ktor.auth.blacklist

import dev.restflow.cache.memory.InMemoryCacheBackend

class InMemoryCacheTokenBlacklistTest : TokenBlacklistContract() {
    override fun blacklist(): TokenBlacklist = CacheTokenBlacklist(InMemoryCacheBackend.builder().clock(clock).build(), clock)
}
