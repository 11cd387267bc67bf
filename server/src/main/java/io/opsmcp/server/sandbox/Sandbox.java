package io.opsmcp.server.sandbox;
public final class Sandbox implements AutoCloseable { public tools.jackson.databind.JsonNode addTo(tools.jackson.databind.JsonNode n){return n;} public void close(){} }
