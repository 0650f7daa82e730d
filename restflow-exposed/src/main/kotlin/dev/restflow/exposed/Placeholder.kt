package dev.restflow.exposed
