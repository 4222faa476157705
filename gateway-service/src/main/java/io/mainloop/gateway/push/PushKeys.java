package io.mainloop.gateway.push;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/** Checks of the P-256 keys and secrets Web Push exchanges (RFC 8291, RFC 8292), all base64url. */
final class PushKeys {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
    // P-256 (secp256r1, FIPS 186-4 D.1.2.3): y^2 = x^3 - 3x + b (mod p)
    private static final BigInteger P = new BigInteger(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger B = new BigInteger(
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

    private PushKeys() {
    }

    /** The bytes of base64url {@code text} (padding optional), or null when it is not base64url. */
    static byte[] decode(String text) {
        if (text == null || !BASE64URL.matcher(text).matches()) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code point} (65 bytes: 0x04, x, y) lies on P-256. */
    static boolean onCurve(byte[] point) {
        if (point == null || point.length != 65 || point[0] != 4) {
            return false;
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
        if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
        return y.pow(2).mod(P).equals(right);
    }
}
