package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Renders certificates, certificate requests and keys as the JSON that Go's {@code encoding/json}
 * makes of {@code crypto/x509.Certificate}, {@code x509.CertificateRequest}, {@code pkix.Name},
 * {@code rsa.PrivateKey} etc., which is what OPA's {@code crypto.x509.*} built-ins return: field names
 * as in Go ({@code Subject.CommonName}, {@code DNSNames}, {@code NotAfter}, ...), byte slices in
 * standard base64, big integers as numbers, enums as Go's integer constants, absent lists as null.
 * The ASN.1 is read with BouncyCastle.
 */
final class GoX509Json {
    private GoX509Json() {}

    /** Go's {@code x509.ExtKeyUsage} constants by OID, in Go's order. */
    static final List<String> EXT_KEY_USAGE_OIDS = List.of(
            "2.5.29.37.0",
            "1.3.6.1.5.5.7.3.1",
            "1.3.6.1.5.5.7.3.2",
            "1.3.6.1.5.5.7.3.3",
            "1.3.6.1.5.5.7.3.4",
            "1.3.6.1.5.5.7.3.5",
            "1.3.6.1.5.5.7.3.6",
            "1.3.6.1.5.5.7.3.7",
            "1.3.6.1.5.5.7.3.8",
            "1.3.6.1.5.5.7.3.9",
            "1.3.6.1.4.1.311.10.3.3",
            "2.16.840.1.113730.4.1",
            "1.3.6.1.4.1.311.2.1.22",
            "1.3.6.1.4.1.311.61.1.1");

    /** Extensions Go's parser understands; an unknown critical one lands in UnhandledCriticalExtensions. */
    private static final List<String> HANDLED = List.of(
            "2.5.29.15",
            "2.5.29.19",
            "2.5.29.17",
            "2.5.29.30",
            "2.5.29.31",
            "2.5.29.35",
            "2.5.29.37",
            "2.5.29.14",
            "2.5.29.32",
            "1.3.6.1.5.5.7.1.1",
            "2.5.29.54",
            "2.5.29.33",
            "2.5.29.36");

    private static final Base64.Encoder B64 = Base64.getEncoder();

    // ---- small helpers ---------------------------------------------------------------------------

    private static Value b64(byte[] b) {
        return b == null ? NullValue.INSTANCE : StringValue.of(B64.encodeToString(b));
    }

    private static Value strings(List<String> l) {
        if (l == null || l.isEmpty()) {
            return NullValue.INSTANCE;
        }
        ArrayValue.Builder b = ArrayValue.builder();
        l.forEach(s -> b.add(StringValue.of(s)));
        return b.build();
    }

    private static Value num(long n) {
        return NumberValue.of(n);
    }

    private static Value num(BigInteger n) {
        return n == null ? NullValue.INSTANCE : NumberValue.of(n);
    }

    /** asn1.ObjectIdentifier: an array of arcs. */
    private static Value oidArcs(ASN1ObjectIdentifier oid) {
        ArrayValue.Builder b = ArrayValue.builder();
        for (String arc : oid.getId().split("\\.")) {
            b.add(NumberValue.of(new BigInteger(arc)));
        }
        return b.build();
    }

    private static Value time(Date d) {
        return StringValue.of(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(d.getTime())));
    }

    private static byte[] der(ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded("DER");
        } catch (IOException ex) {
            throw new BuiltinError("asn1: structure error: cannot encode");
        }
    }

    // ---- names -----------------------------------------------------------------------------------

    /** pkix.Name, filled as Go's {@code FillFromRDNSequence} does. */
    static Value name(X500Name name) {
        List<String> country = new ArrayList<>();
        List<String> org = new ArrayList<>();
        List<String> ou = new ArrayList<>();
        List<String> locality = new ArrayList<>();
        List<String> province = new ArrayList<>();
        List<String> street = new ArrayList<>();
        List<String> postal = new ArrayList<>();
        String serial = "";
        String cn = "";
        ArrayValue.Builder names = ArrayValue.builder();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                ASN1Encodable raw = atv.getValue();
                Value value = raw instanceof ASN1String s ? StringValue.of(s.getString()) : asn1Value(raw);
                names.add(ObjectValue.builder()
                        .put("Type", oidArcs(atv.getType()))
                        .put("Value", value)
                        .build());
                if (!(raw instanceof ASN1String s)) {
                    continue;
                }
                String v = s.getString();
                switch (atv.getType().getId()) {
                    case "2.5.4.3" -> cn = v;
                    case "2.5.4.5" -> serial = v;
                    case "2.5.4.6" -> country.add(v);
                    case "2.5.4.7" -> locality.add(v);
                    case "2.5.4.8" -> province.add(v);
                    case "2.5.4.9" -> street.add(v);
                    case "2.5.4.10" -> org.add(v);
                    case "2.5.4.11" -> ou.add(v);
                    case "2.5.4.17" -> postal.add(v);
                    default -> {}
                }
            }
        }
        ArrayValue all = names.build();
        return ObjectValue.builder()
                .put("Country", strings(country))
                .put("Organization", strings(org))
                .put("OrganizationalUnit", strings(ou))
                .put("Locality", strings(locality))
                .put("Province", strings(province))
                .put("StreetAddress", strings(street))
                .put("PostalCode", strings(postal))
                .put("SerialNumber", StringValue.of(serial))
                .put("CommonName", StringValue.of(cn))
                .put("Names", all.size() == 0 ? NullValue.INSTANCE : all)
                .put("ExtraNames", NullValue.INSTANCE)
                .build();
    }

    /** Best effort for non-string attribute values (Go decodes them into {@code any}). */
    private static Value asn1Value(ASN1Encodable e) {
        ASN1Primitive p = e.toASN1Primitive();
        if (p instanceof ASN1Integer i) {
            return NumberValue.of(i.getValue());
        }
        if (p instanceof ASN1ObjectIdentifier o) {
            return oidArcs(o);
        }
        return b64(der(p));
    }

    // ---- algorithms and keys ---------------------------------------------------------------------

    /** Go's {@code x509.SignatureAlgorithm} constant for an AlgorithmIdentifier. */
    static int signatureAlgorithm(AlgorithmIdentifier alg) {
        String oid = alg.getAlgorithm().getId();
        return switch (oid) {
            case "1.2.840.113549.1.1.2" -> 1;
            case "1.2.840.113549.1.1.4" -> 2;
            case "1.2.840.113549.1.1.5", "1.3.14.3.2.29" -> 3;
            case "1.2.840.113549.1.1.11" -> 4;
            case "1.2.840.113549.1.1.12" -> 5;
            case "1.2.840.113549.1.1.13" -> 6;
            case "1.2.840.10040.4.3", "1.3.14.3.2.27" -> 7;
            case "2.16.840.1.101.3.4.3.2" -> 8;
            case "1.2.840.10045.4.1" -> 9;
            case "1.2.840.10045.4.3.2" -> 10;
            case "1.2.840.10045.4.3.3" -> 11;
            case "1.2.840.10045.4.3.4" -> 12;
            case "1.2.840.113549.1.1.10" -> pssAlgorithm(alg);
            case "1.3.101.112" -> 16;
            default -> 0;
        };
    }

    private static int pssAlgorithm(AlgorithmIdentifier alg) {
        try {
            RSASSAPSSparams params = RSASSAPSSparams.getInstance(alg.getParameters());
            return switch (params.getHashAlgorithm().getAlgorithm().getId()) {
                case "2.16.840.1.101.3.4.2.1" -> 13;
                case "2.16.840.1.101.3.4.2.2" -> 14;
                case "2.16.840.1.101.3.4.2.3" -> 15;
                default -> 0;
            };
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Go's {@code x509.PublicKeyAlgorithm} constant. */
    static int publicKeyAlgorithm(SubjectPublicKeyInfo spki) {
        return switch (spki.getAlgorithm().getAlgorithm().getId()) {
            case "1.2.840.113549.1.1.1" -> 1;
            case "1.2.840.10040.4.1" -> 2;
            case "1.2.840.10045.2.1" -> 3;
            case "1.3.101.112" -> 4;
            default -> 0;
        };
    }

    /** The JCA public key of a SubjectPublicKeyInfo. @throws BuiltinError when the key is not supported */
    static PublicKey publicKey(SubjectPublicKeyInfo spki) {
        try {
            return new JcaPEMKeyConverter().getPublicKey(spki);
        } catch (IOException | RuntimeException e) {
            throw new BuiltinError("x509: unsupported or malformed public key");
        }
    }

    /** The Go JSON of a public key: {@code rsa.PublicKey}, {@code ecdsa.PublicKey}, {@code ed25519.PublicKey}. */
    static Value publicKeyJson(SubjectPublicKeyInfo spki) {
        int alg = publicKeyAlgorithm(spki);
        if (alg == 4) {
            return b64(spki.getPublicKeyData().getBytes());
        }
        if (alg == 1 || alg == 3) {
            return publicKeyJson(publicKey(spki));
        }
        return NullValue.INSTANCE;
    }

    static Value publicKeyJson(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return ObjectValue.builder()
                    .put("N", num(rsa.getModulus()))
                    .put("E", num(rsa.getPublicExponent()))
                    .build();
        }
        if (key instanceof ECPublicKey ec) {
            // Go's named curves have only unexported fields: they marshal as {}.
            return ObjectValue.builder()
                    .put("Curve", ObjectValue.EMPTY)
                    .put("X", num(ec.getW().getAffineX()))
                    .put("Y", num(ec.getW().getAffineY()))
                    .build();
        }
        byte[] enc = key.getEncoded();
        if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
            return b64(SubjectPublicKeyInfo.getInstance(enc).getPublicKeyData().getBytes());
        }
        return NullValue.INSTANCE;
    }

    /** The Go JSON of a private key ({@code rsa.PrivateKey}, {@code ecdsa.PrivateKey}, {@code ed25519.PrivateKey}). */
    static Value privateKeyJson(PrivateKey key, PublicKey pub) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            ObjectValue precomputed = ObjectValue.builder()
                    .put("Dp", num(rsa.getPrimeExponentP()))
                    .put("Dq", num(rsa.getPrimeExponentQ()))
                    .put("Qinv", num(rsa.getCrtCoefficient()))
                    .put("CRTValues", ArrayValue.EMPTY)
                    .build();
            return ObjectValue.builder()
                    .put("N", num(rsa.getModulus()))
                    .put("E", num(rsa.getPublicExponent()))
                    .put("D", num(rsa.getPrivateExponent()))
                    .put("Primes", ArrayValue.of(num(rsa.getPrimeP()), num(rsa.getPrimeQ())))
                    .put("Precomputed", precomputed)
                    .build();
        }
        if (key instanceof RSAPrivateKey rsa) {
            return ObjectValue.builder()
                    .put("N", num(rsa.getModulus()))
                    .put("D", num(rsa.getPrivateExponent()))
                    .build();
        }
        if (key instanceof ECPrivateKey ec) {
            ObjectValue.Builder b = ObjectValue.builder().put("Curve", ObjectValue.EMPTY);
            if (pub instanceof ECPublicKey ecPub) {
                b.put("X", num(ecPub.getW().getAffineX()))
                        .put("Y", num(ecPub.getW().getAffineY()));
            }
            return b.put("D", num(ec.getS())).build();
        }
        if (pub != null && ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm()))) {
            // ed25519.PrivateKey is seed || public key.
            byte[] seed = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded())
                    .getPrivateKey()
                    .getOctets();
            byte[] inner = ASN1OctetString.getInstance(seed).getOctets();
            byte[] pk = SubjectPublicKeyInfo.getInstance(pub.getEncoded())
                    .getPublicKeyData()
                    .getBytes();
            byte[] out = Arrays.copyOf(inner, inner.length + pk.length);
            System.arraycopy(pk, 0, out, inner.length, pk.length);
            return b64(out);
        }
        return NullValue.INSTANCE;
    }

    // ---- certificate -----------------------------------------------------------------------------

    /** A certificate as OPA returns it; {@code withUriStrings} adds OPA's extra {@code URIStrings} field. */
    static ObjectValue certificate(Certificate cert, boolean withUriStrings) {
        TBSCertificate tbs = cert.getTBSCertificate();
        SubjectPublicKeyInfo spki = tbs.getSubjectPublicKeyInfo();
        ObjectValue.Builder o = ObjectValue.builder()
                .put("Raw", b64(der(cert)))
                .put("RawTBSCertificate", b64(der(tbs)))
                .put("RawSubjectPublicKeyInfo", b64(der(spki)))
                .put("RawSubject", b64(der(tbs.getSubject())))
                .put("RawIssuer", b64(der(tbs.getIssuer())))
                .put("Signature", b64(cert.getSignature().getBytes()))
                .put("SignatureAlgorithm", num(signatureAlgorithm(cert.getSignatureAlgorithm())))
                .put("PublicKeyAlgorithm", num(publicKeyAlgorithm(spki)))
                .put("PublicKey", publicKeyJson(spki))
                .put("Version", num(tbs.getVersionNumber()))
                .put("SerialNumber", num(tbs.getSerialNumber().getValue()))
                .put("Issuer", name(tbs.getIssuer()))
                .put("Subject", name(tbs.getSubject()))
                .put("NotBefore", time(tbs.getStartDate().getDate()))
                .put("NotAfter", time(tbs.getEndDate().getDate()));
        ExtensionFields f = ExtensionFields.of(tbs.getExtensions());
        f.putInto(o);
        if (withUriStrings) {
            o.put("URIStrings", strings(f.uris));
        }
        return o.build();
    }

    /** A certificate request as Go's {@code x509.CertificateRequest}. */
    static ObjectValue certificateRequest(CertificationRequest csr) {
        var info = csr.getCertificationRequestInfo();
        SubjectPublicKeyInfo spki = info.getSubjectPublicKeyInfo();
        Extensions extensions = null;
        ArrayValue.Builder attributes = ArrayValue.builder();
        ASN1Set attrs = info.getAttributes();
        if (attrs != null) {
            for (ASN1Encodable e : attrs) {
                Attribute attr = Attribute.getInstance(e);
                if (attr.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                    for (ASN1Encodable v : attr.getAttrValues()) {
                        extensions = Extensions.getInstance(v);
                    }
                }
                attributes.add(ObjectValue.builder()
                        .put("Type", oidArcs(attr.getAttrType()))
                        .put("Value", ArrayValue.EMPTY)
                        .build());
            }
        }
        ExtensionFields f = ExtensionFields.of(extensions);
        ArrayValue attrList = attributes.build();
        return ObjectValue.builder()
                .put("Raw", b64(der(csr)))
                .put("RawTBSCertificateRequest", b64(der(info)))
                .put("RawSubjectPublicKeyInfo", b64(der(spki)))
                .put("RawSubject", b64(der(info.getSubject())))
                .put("Version", num(info.getVersion().getValue()))
                .put("Signature", b64(csr.getSignature().getBytes()))
                .put("SignatureAlgorithm", num(signatureAlgorithm(csr.getSignatureAlgorithm())))
                .put("PublicKeyAlgorithm", num(publicKeyAlgorithm(spki)))
                .put("PublicKey", publicKeyJson(spki))
                .put("Subject", name(info.getSubject()))
                .put("Attributes", attrList.size() == 0 ? NullValue.INSTANCE : attrList)
                .put("Extensions", f.extensions)
                .put("ExtraExtensions", NullValue.INSTANCE)
                .put("DNSNames", strings(f.dnsNames))
                .put("EmailAddresses", strings(f.emails))
                .put("IPAddresses", strings(f.ips))
                .put("URIs", f.uriObjects())
                .build();
    }

    /** The certificate fields Go derives from extensions. */
    private static final class ExtensionFields {
        Value extensions = NullValue.INSTANCE;
        final List<Value> unhandledCritical = new ArrayList<>();
        long keyUsage;
        final List<Value> extKeyUsage = new ArrayList<>();
        final List<Value> unknownExtKeyUsage = new ArrayList<>();
        boolean basicConstraintsValid;
        boolean isCa;
        long maxPathLen;
        boolean maxPathLenZero;
        byte[] subjectKeyId;
        byte[] authorityKeyId;
        final List<String> ocsp = new ArrayList<>();
        final List<String> issuingUrls = new ArrayList<>();
        final List<String> dnsNames = new ArrayList<>();
        final List<String> emails = new ArrayList<>();
        final List<String> ips = new ArrayList<>();
        final List<String> uris = new ArrayList<>();
        boolean permittedDnsCritical;
        final List<String> permittedDns = new ArrayList<>();
        final List<String> excludedDns = new ArrayList<>();
        final List<String> permittedEmails = new ArrayList<>();
        final List<String> excludedEmails = new ArrayList<>();
        final List<String> permittedUris = new ArrayList<>();
        final List<String> excludedUris = new ArrayList<>();
        final List<Value> permittedIps = new ArrayList<>();
        final List<Value> excludedIps = new ArrayList<>();
        final List<String> crlPoints = new ArrayList<>();
        final List<Value> policyIds = new ArrayList<>();
        final List<String> policies = new ArrayList<>();

        static ExtensionFields of(Extensions exts) {
            ExtensionFields f = new ExtensionFields();
            if (exts == null) {
                return f;
            }
            ArrayValue.Builder list = ArrayValue.builder();
            for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
                Extension e = exts.getExtension(oid);
                list.add(ObjectValue.builder()
                        .put("Id", oidArcs(oid))
                        .put("Critical", BooleanValue.of(e.isCritical()))
                        .put("Value", b64(e.getExtnValue().getOctets()))
                        .build());
                try {
                    f.read(e);
                } catch (RuntimeException ex) {
                    throw new BuiltinError("x509: malformed extension " + oid.getId());
                }
                if (e.isCritical() && !HANDLED.contains(oid.getId())) {
                    f.unhandledCritical.add(oidArcs(oid));
                }
            }
            f.extensions = list.build();
            return f;
        }

        private void read(Extension e) {
            ASN1Encodable v = e.getParsedValue();
            switch (e.getExtnId().getId()) {
                case "2.5.29.15" -> {
                    var bits = org.bouncycastle.asn1.DERBitString.getInstance(v);
                    byte[] b = bits.getBytes();
                    long usage = 0;
                    for (int i = 0; i < 9; i++) {
                        int byteIndex = i / 8;
                        if (byteIndex < b.length && (b[byteIndex] & (0x80 >> (i % 8))) != 0) {
                            usage |= 1L << i;
                        }
                    }
                    keyUsage = usage;
                }
                case "2.5.29.19" -> {
                    BasicConstraints bc = BasicConstraints.getInstance(v);
                    basicConstraintsValid = true;
                    isCa = bc.isCA();
                    maxPathLen = bc.getPathLenConstraint() == null
                            ? -1
                            : bc.getPathLenConstraint().longValue();
                    maxPathLenZero = maxPathLen == 0;
                }
                case "2.5.29.17" -> {
                    for (GeneralName n : GeneralNames.getInstance(v).getNames()) {
                        switch (n.getTagNo()) {
                            case GeneralName.dNSName -> dnsNames.add(((ASN1String) n.getName()).getString());
                            case GeneralName.rfc822Name -> emails.add(((ASN1String) n.getName()).getString());
                            case GeneralName.uniformResourceIdentifier ->
                                uris.add(((ASN1String) n.getName()).getString());
                            case GeneralName.iPAddress ->
                                ips.add(ip(
                                        ASN1OctetString.getInstance(n.getName()).getOctets()));
                            default -> {}
                        }
                    }
                }
                case "2.5.29.30" -> {
                    NameConstraints nc = NameConstraints.getInstance(v);
                    permittedDnsCritical = e.isCritical();
                    subtrees(nc.getPermittedSubtrees(), permittedDns, permittedEmails, permittedUris, permittedIps);
                    subtrees(nc.getExcludedSubtrees(), excludedDns, excludedEmails, excludedUris, excludedIps);
                }
                case "2.5.29.31" -> {
                    for (DistributionPoint dp : CRLDistPoint.getInstance(v).getDistributionPoints()) {
                        DistributionPointName dpn = dp.getDistributionPoint();
                        if (dpn != null && dpn.getType() == DistributionPointName.FULL_NAME) {
                            for (GeneralName n :
                                    GeneralNames.getInstance(dpn.getName()).getNames()) {
                                if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                                    crlPoints.add(((ASN1String) n.getName()).getString());
                                }
                            }
                        }
                    }
                }
                case "2.5.29.35" ->
                    authorityKeyId = AuthorityKeyIdentifier.getInstance(v).getKeyIdentifier();
                case "2.5.29.14" ->
                    subjectKeyId = SubjectKeyIdentifier.getInstance(v).getKeyIdentifier();
                case "2.5.29.37" -> {
                    for (ASN1Encodable p : ASN1Sequence.getInstance(v)) {
                        ASN1ObjectIdentifier oid = KeyPurposeId.getInstance(p).toOID();
                        int idx = EXT_KEY_USAGE_OIDS.indexOf(oid.getId());
                        if (idx >= 0) {
                            extKeyUsage.add(num(idx));
                        } else {
                            unknownExtKeyUsage.add(oidArcs(oid));
                        }
                    }
                }
                case "2.5.29.32" -> {
                    for (PolicyInformation pi :
                            CertificatePolicies.getInstance(v).getPolicyInformation()) {
                        policyIds.add(oidArcs(pi.getPolicyIdentifier()));
                        policies.add(pi.getPolicyIdentifier().getId());
                    }
                }
                case "1.3.6.1.5.5.7.1.1" -> {
                    for (AccessDescription ad :
                            AuthorityInformationAccess.getInstance(v).getAccessDescriptions()) {
                        GeneralName loc = ad.getAccessLocation();
                        if (loc.getTagNo() != GeneralName.uniformResourceIdentifier) {
                            continue;
                        }
                        String url = ((ASN1String) loc.getName()).getString();
                        if (ad.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                            ocsp.add(url);
                        } else if (ad.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
                            issuingUrls.add(url);
                        }
                    }
                }
                default -> {}
            }
        }

        private static void subtrees(
                GeneralSubtree[] trees, List<String> dns, List<String> emails, List<String> uris, List<Value> ips) {
            if (trees == null) {
                return;
            }
            for (GeneralSubtree t : trees) {
                GeneralName n = t.getBase();
                switch (n.getTagNo()) {
                    case GeneralName.dNSName -> dns.add(((ASN1String) n.getName()).getString());
                    case GeneralName.rfc822Name -> emails.add(((ASN1String) n.getName()).getString());
                    case GeneralName.uniformResourceIdentifier -> uris.add(((ASN1String) n.getName()).getString());
                    case GeneralName.iPAddress -> {
                        byte[] b = ASN1OctetString.getInstance(n.getName()).getOctets();
                        int half = b.length / 2;
                        ips.add(ObjectValue.builder()
                                .put("IP", StringValue.of(ip(Arrays.copyOf(b, half))))
                                .put("Mask", b64(Arrays.copyOfRange(b, half, b.length)))
                                .build());
                    }
                    default -> {}
                }
            }
        }

        /** url.URL as Go marshals it, for each SAN URI. */
        Value uriObjects() {
            if (uris.isEmpty()) {
                return NullValue.INSTANCE;
            }
            ArrayValue.Builder b = ArrayValue.builder();
            for (String u : uris) {
                b.add(goUrl(u));
            }
            return b.build();
        }

        void putInto(ObjectValue.Builder o) {
            o.put("KeyUsage", num(keyUsage))
                    .put("Extensions", extensions)
                    .put("ExtraExtensions", NullValue.INSTANCE)
                    .put(
                            "UnhandledCriticalExtensions",
                            unhandledCritical.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(unhandledCritical))
                    .put("ExtKeyUsage", extKeyUsage.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(extKeyUsage))
                    .put(
                            "UnknownExtKeyUsage",
                            unknownExtKeyUsage.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(unknownExtKeyUsage))
                    .put("BasicConstraintsValid", BooleanValue.of(basicConstraintsValid))
                    .put("IsCA", BooleanValue.of(isCa))
                    .put("MaxPathLen", num(maxPathLen))
                    .put("MaxPathLenZero", BooleanValue.of(maxPathLenZero))
                    .put("SubjectKeyId", b64(subjectKeyId))
                    .put("AuthorityKeyId", b64(authorityKeyId))
                    .put("OCSPServer", strings(ocsp))
                    .put("IssuingCertificateURL", strings(issuingUrls))
                    .put("DNSNames", strings(dnsNames))
                    .put("EmailAddresses", strings(emails))
                    .put("IPAddresses", strings(ips))
                    .put("URIs", uriObjects())
                    .put("PermittedDNSDomainsCritical", BooleanValue.of(permittedDnsCritical))
                    .put("PermittedDNSDomains", strings(permittedDns))
                    .put("ExcludedDNSDomains", strings(excludedDns))
                    .put("PermittedIPRanges", permittedIps.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(permittedIps))
                    .put("ExcludedIPRanges", excludedIps.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(excludedIps))
                    .put("PermittedEmailAddresses", strings(permittedEmails))
                    .put("ExcludedEmailAddresses", strings(excludedEmails))
                    .put("PermittedURIDomains", strings(permittedUris))
                    .put("ExcludedURIDomains", strings(excludedUris))
                    .put("CRLDistributionPoints", strings(crlPoints))
                    .put("PolicyIdentifiers", policyIds.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(policyIds))
                    .put("Policies", strings(policies))
                    .put("InhibitAnyPolicy", num(0))
                    .put("InhibitAnyPolicyZero", BooleanValue.FALSE)
                    .put("InhibitPolicyMapping", num(0))
                    .put("InhibitPolicyMappingZero", BooleanValue.FALSE)
                    .put("RequireExplicitPolicy", num(0))
                    .put("RequireExplicitPolicyZero", BooleanValue.FALSE)
                    .put("PolicyMappings", NullValue.INSTANCE);
        }
    }

    /** net.IP's text form. */
    private static String ip(byte[] b) {
        try {
            return InetAddress.getByAddress(b).getHostAddress().replaceAll("(^|:)0(:0)+(:|$)", "::");
        } catch (UnknownHostException e) {
            return "?" + java.util.HexFormat.of().formatHex(b);
        }
    }

    /** Go's {@code url.URL} struct for a (SAN) URI. */
    private static Value goUrl(String raw) {
        String scheme = "";
        String rest = raw;
        String fragment = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int colon = rest.indexOf(':');
        if (colon > 0 && rest.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            scheme = rest.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            rest = rest.substring(colon + 1);
        }
        String host = "";
        String opaque = "";
        Value user = NullValue.INSTANCE;
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            int at = authority.lastIndexOf('@');
            host = at < 0 ? authority : authority.substring(at + 1);
            if (at >= 0) {
                user = ObjectValue.EMPTY;
            }
        } else if (!scheme.isEmpty() && !rest.startsWith("/")) {
            opaque = rest;
            rest = "";
        }
        return ObjectValue.of(Map.ofEntries(
                Map.entry(StringValue.of("Scheme"), StringValue.of(scheme)),
                Map.entry(StringValue.of("Opaque"), StringValue.of(opaque)),
                Map.entry(StringValue.of("User"), user),
                Map.entry(StringValue.of("Host"), StringValue.of(host)),
                Map.entry(StringValue.of("Path"), StringValue.of(rest)),
                Map.entry(StringValue.of("RawPath"), StringValue.EMPTY),
                Map.entry(StringValue.of("OmitHost"), BooleanValue.FALSE),
                Map.entry(StringValue.of("ForceQuery"), BooleanValue.FALSE),
                Map.entry(StringValue.of("RawQuery"), StringValue.of(query)),
                Map.entry(StringValue.of("Fragment"), StringValue.of(fragment)),
                Map.entry(StringValue.of("RawFragment"), StringValue.EMPTY)));
    }
}
