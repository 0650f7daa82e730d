package dev.restflow.sample

fun main() { println("hi") }
