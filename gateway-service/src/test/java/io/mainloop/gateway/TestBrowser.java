package io.mainloop.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser's side of Web Push, written here from the RFCs (independently of the gateway's
 * library): its P-256 key pair and 16-byte auth secret (the {@code PushSubscription}'s keys), the
 * decryption of an {@code aes128gcm} push body (RFC 8291 section 3.4 and RFC 8188 section 2), and
 * the check of a VAPID {@code Authorization} header (RFC 8292 section 2: an ES256 JWT and the key
 * that verifies it).
 */
public final class TestBrowser {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final KeyPair keys;
    private final byte[] auth = new byte[16];

    public TestBrowser() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
        new SecureRandom().nextBytes(auth);
    }

    /** The {@code PushSubscription.toJSON()} of this browser at {@code endpoint}. */
    public String subscription(String endpoint) {
        return "{\"endpoint\":\"" + endpoint + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\""
                + B64.encodeToString(uncompressed((ECPublicKey) keys.getPublic())) + "\",\"auth\":\""
                + B64.encodeToString(auth) + "\"}}";
    }

    /** The plaintext of an {@code aes128gcm} push body encrypted for this browser, as JSON. */
    public JsonNode decrypt(byte[] body) throws Exception {
        byte[] salt = Arrays.copyOfRange(body, 0, 16);
        int recordSize = new BigInteger(1, Arrays.copyOfRange(body, 16, 20)).intValue();
        int idLength = body[20] & 0xff;
        byte[] serverPublic = Arrays.copyOfRange(body, 21, 21 + idLength);
        byte[] ciphertext = Arrays.copyOfRange(body, 21 + idLength, body.length);
        if (idLength != 65 || ciphertext.length > recordSize) {
            throw new AssertionError("not one aes128gcm record with the server's key as keyid: idlen " + idLength);
        }

        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(keys.getPrivate());
        ecdh.doPhase(publicKey(serverPublic), true);
        byte[] ecdhSecret = ecdh.generateSecret();
        byte[] uaPublic = uncompressed((ECPublicKey) keys.getPublic());
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, serverPublic);
        byte[] ikm = hkdf(auth, ecdhSecret, keyInfo, 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = aes.doFinal(ciphertext);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new AssertionError("the last record must end with the delimiter 0x02");
        }
        return new ObjectMapper().readTree(Arrays.copyOfRange(padded, 0, end));
    }

    /**
     * Checks a {@code vapid t=<jwt>, k=<key>} header: the JWT is ES256, signed by {@code k}, and
     * answers its claims ({@code aud}, {@code exp}, {@code sub}).
     *
     * @return {@code {"k": <key>, "claims": <JWT claims>}}
     */
    public static JsonNode verifyVapid(String authorization) throws Exception {
        if (authorization == null || !authorization.startsWith("vapid ")) {
            throw new AssertionError("not a vapid Authorization header: " + authorization);
        }
        String token = null;
        String key = null;
        for (String part : authorization.substring(6).split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                token = p.substring(2);
            } else if (p.startsWith("k=")) {
                key = p.substring(2);
            }
        }
        String[] jwt = token.split("\\.");
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(DECODE.decode(jwt[0]));
        if (!"ES256".equals(header.path("alg").asText())) {
            throw new AssertionError("the JWT is not ES256: " + header);
        }
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(publicKey(DECODE.decode(key)));
        es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        if (!es256.verify(DECODE.decode(jwt[2]))) {
            throw new AssertionError("the JWT's signature does not verify with k");
        }
        return json.createObjectNode().put("k", key).set("claims", json.readTree(DECODE.decode(jwt[1])));
    }

    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        return Arrays.copyOf(mac.doFinal(concat(info, new byte[] {1})), length);
    }

    private static ECPublicKey publicKey(byte[] uncompressed) throws Exception {
        java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
    }

    private static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        copy32(key.getW().getAffineX(), out, 1);
        copy32(key.getW().getAffineY(), out, 33);
        return out;
    }

    private static void copy32(BigInteger value, byte[] to, int at) {
        byte[] raw = value.toByteArray();
        int from = Math.max(0, raw.length - 32);
        System.arraycopy(raw, from, to, at + 32 - (raw.length - from), raw.length - from);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
