package io.loyalflow.testsupport;

import org.junit.jupiter.api.Tag;

/** An integration test of persistence or the engine: it runs on H2 and again on PostgreSQL. */
@Tag("database")
public abstract class DatabaseTest extends IntegrationTest {}
