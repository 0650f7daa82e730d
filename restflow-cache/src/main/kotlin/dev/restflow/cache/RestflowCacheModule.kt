package dev.restflow.cache
