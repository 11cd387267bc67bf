package io.opsmcp.rego.compliance;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** One case of OPA's YAML compliance format ({@code v1/test/cases/testdata}). */
public record ComplianceCase(
        String file,
        String note,
        String query,
        List<String> modules,
        JsonNode data,
        JsonNode input,
        String inputTerm,
        JsonNode wantResult,
        String wantErrorCode,
        String wantError,
        boolean strictError,
        boolean sortBindings,
        boolean skip,
        boolean experimentalKeywords) {}
