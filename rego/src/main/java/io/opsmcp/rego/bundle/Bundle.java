package io.opsmcp.rego.bundle;

import io.opsmcp.rego.value.Value;
import java.util.List;
import java.util.Map;

/**
 * An OPA bundle's contents: Rego sources by file name, the merged base data document and the
 * manifest roots (empty when the bundle has no {@code .manifest}).
 */
public record Bundle(Map<String, String> modules, Value data, List<String> roots) {}
