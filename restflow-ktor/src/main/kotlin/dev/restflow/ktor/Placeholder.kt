package dev.restflow.ktor
