package io.opsmcp.alerts.hooks;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertReport;
import io.opsmcp.alerts.AlertResource;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.ResourceMapping;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Amazon SNS HTTPS subscriptions carrying CloudWatch alarm state changes. Every message is verified before
 * anything else is done with it (AWS docs, "Verifying the signatures of Amazon SNS messages"): its
 * {@code TopicArn} must be one of {@code alerts.sns.topic_arns}; {@code SignatureVersion} 1 is SHA1withRSA and 2
 * SHA256withRSA over the canonical string ({@code Key\nValue\n} for Message, MessageId, Subject if present,
 * Timestamp, TopicArn, Type for a notification; Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type
 * for a subscription or unsubscribe confirmation), checked with the certificate from {@code SigningCertURL}
 * ({@link SnsCertificates}: host pinned to SNS). An unsigned message, another version, a bad signature or an
 * unknown topic is refused (403). A verified {@code SubscriptionConfirmation} is confirmed by GETting its pinned
 * {@code SubscribeURL}. A notification whose {@code Message} is a CloudWatch alarm ({@code AlarmName},
 * {@code NewStateValue}, {@code AlarmArn}, {@code Trigger.Dimensions}) fires on {@code ALARM} and resolves on
 * {@code OK}; other messages and states are accepted and ignored.
 */
final class SnsReceiver implements Receiver {

    private static final List<String> NOTIFICATION_FIELDS =
            List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> CONFIRMATION_FIELDS =
            List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    private final AlertSettings.SnsHook hook;
    private final ResourceMapping mapping;
    private final SnsCertificates certificates;

    SnsReceiver(AlertSettings.SnsHook hook, ResourceMapping mapping, SnsCertificates certificates) {
        this.hook = hook;
        this.mapping = mapping;
        this.certificates = certificates;
    }

    @Override
    public Alert.Source source() {
        return Alert.Source.SNS;
    }

    @Override
    public int maxBodyBytes() {
        return hook.maxBodyBytes();
    }

    /** SNS sends no credential in headers: every message is authenticated by its signature in {@link #parse}. */
    @Override
    public void authenticate(Headers headers) {}

    @Override
    public Parsed parse(Headers headers, byte[] body) throws Refused {
        JsonNode message = Payloads.parse(body, "sns");
        String type = message.path("Type").asString("");
        List<String> fields = switch (type) {
            case "Notification" -> NOTIFICATION_FIELDS;
            case "SubscriptionConfirmation", "UnsubscribeConfirmation" -> CONFIRMATION_FIELDS;
            default ->
                throw Refused.badRequest(
                        "sns: Type must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation");
        };
        String topic = message.path("TopicArn").asString("");
        if (!hook.topicArns().contains(topic)) {
            throw Refused.forbidden("sns: TopicArn is not one of alerts.sns.topic_arns");
        }
        verify(message, fields);
        if ("SubscriptionConfirmation".equals(type)) {
            certificates.confirm(message.path("SubscribeURL").asString(null));
            return new Parsed(List.of(), 0, "subscription to " + topic + " confirmed");
        }
        if ("UnsubscribeConfirmation".equals(type)) {
            return new Parsed(List.of(), 0, "unsubscribed from " + topic);
        }
        JsonNode alarm = Payloads.parse(message.path("Message").asString(""));
        if (alarm == null || !alarm.isObject() || Payloads.text(alarm, "AlarmName") == null) {
            return new Parsed(List.of(), 1, "not a CloudWatch alarm");
        }
        Alert.Status status = switch (alarm.path("NewStateValue").asString("")) {
            case "ALARM" -> Alert.Status.FIRING;
            case "OK" -> Alert.Status.RESOLVED;
            default -> null;
        };
        if (status == null) {
            return new Parsed(List.of(), 1, null);
        }
        return new Parsed(List.of(report(alarm, status)), 0, null);
    }

    /** Verifies the signature over the canonical string; refuses (403) whatever does not verify. */
    private void verify(JsonNode message, List<String> fields) throws Refused {
        String version = message.path("SignatureVersion").asString("");
        String algorithm = switch (version) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default ->
                throw Refused.forbidden(
                        "sns: SignatureVersion must be 1 or 2 (unsigned messages are" + " never trusted)");
        };
        String signature = message.path("Signature").asString("");
        if (signature.isEmpty()) {
            throw Refused.forbidden("sns: the message is not signed");
        }
        StringBuilder canonical = new StringBuilder();
        for (String field : fields) {
            JsonNode v = message.get(field);
            if (v == null || v.isNull()) {
                if (field.equals("Subject")) {
                    continue;
                }
                throw Refused.forbidden("sns: " + field + " is missing, so the signature cannot cover it");
            }
            canonical.append(field).append('\n').append(v.asString()).append('\n');
        }
        X509Certificate cert = certificates.get(message.path("SigningCertURL").asString(null));
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            valid = verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw Refused.forbidden("sns: the signature does not verify");
        }
    }

    /** A CloudWatch alarm state change as an alert: the alarm ARN identifies it, its dimensions map it. */
    private AlertReport report(JsonNode alarm, Alert.Status status) {
        String name = Payloads.text(alarm, "AlarmName");
        String arn = Payloads.text(alarm, "AlarmArn");
        String account = Payloads.text(alarm, "AWSAccountId");
        String region = null;
        if (arn != null) {
            String[] parts = arn.split(":", 6);
            if (parts.length == 6) {
                region = parts[3];
                account = account != null ? account : parts[4];
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alarm_name", name);
        if (account != null) {
            labels.put("account_id", account);
        }
        if (region != null) {
            labels.put("region", region);
        }
        JsonNode trigger = alarm.path("Trigger");
        putText(labels, "namespace", trigger, "Namespace");
        putText(labels, "metric", trigger, "MetricName");
        for (JsonNode d : trigger.path("Dimensions")) {
            String key = Payloads.text(d, "name");
            String value = Payloads.text(d, "value");
            if (key != null && value != null && labels.size() < Payloads.MAX_LABELS) {
                labels.put(key, value);
            }
        }
        AlertResource resource;
        if (labels.containsKey("ClusterName") && labels.containsKey("ServiceName")) {
            resource = mapping.ecsService(labels, labels.get("ClusterName"), labels.get("ServiceName"));
        } else {
            Map<String, String> ids = new LinkedHashMap<>();
            if (account != null) {
                ids.put("account_id", account);
            }
            if (region != null) {
                ids.put("region", region);
            }
            resource = new AlertResource("aws", "cloudwatch:alarm", name, ids);
        }
        return new AlertReport(
                Alert.Source.SNS,
                arn != null ? arn : account + ":" + region + ":" + name,
                name,
                status,
                null,
                Payloads.text(alarm, "NewStateReason"),
                labels,
                resource,
                Payloads.time(Payloads.text(alarm, "StateChangeTime")),
                status == Alert.Status.RESOLVED ? Payloads.time(Payloads.text(alarm, "StateChangeTime")) : null);
    }

    private static void putText(Map<String, String> labels, String key, JsonNode node, String field) {
        String v = Payloads.text(node, field);
        if (v != null) {
            labels.put(key, v);
        }
    }
}
