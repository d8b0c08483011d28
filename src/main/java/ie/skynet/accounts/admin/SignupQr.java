package ie.skynet.accounts.admin;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * The QR code of a link, as one SVG path over a square of {@code size} modules: ZXing chooses the
 * modules, and the page draws them, so the projector shows it sharp at any size without an image
 * request or script. The path holds only numbers and path letters, so it needs no escaping.
 *
 * @param size modules along a side, without the quiet zone around them
 * @param path the dark modules, each row's runs as rectangles
 */
public record SignupQr(int size, String path) {
  /** The light border readers need, in modules (ISO/IEC 18004). */
  public static final int QUIET_ZONE = 4;

  public static SignupQr of(String link) {
    BitMatrix modules;
    try {
      // Level M: a projected code is read from across a room, through glare, not through damage.
      modules =
          new QRCodeWriter()
              .encode(
                  link,
                  BarcodeFormat.QR_CODE,
                  0,
                  0,
                  Map.of(
                      EncodeHintType.ERROR_CORRECTION,
                      ErrorCorrectionLevel.M,
                      EncodeHintType.MARGIN,
                      0));
    } catch (WriterException e) {
      throw new IllegalArgumentException("no QR code holds a link this long: " + link, e);
    }
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < modules.getHeight(); y++) {
      int x = 0;
      while (x < modules.getWidth()) {
        if (!modules.get(x, y)) {
          x++;
          continue;
        }
        int start = x;
        while (x < modules.getWidth() && modules.get(x, y)) {
          x++;
        }
        path.append('M')
            .append(start)
            .append(' ')
            .append(y)
            .append('h')
            .append(x - start)
            .append("v1h-")
            .append(x - start)
            .append('z');
      }
    }
    return new SignupQr(modules.getWidth(), path.toString());
  }

  /** The SVG viewBox: the modules and the quiet zone around them. */
  public String viewBox() {
    int side = size + 2 * QUIET_ZONE;
    return -QUIET_ZONE + " " + -QUIET_ZONE + " " + side + " " + side;
  }

  /** A side of the view box, quiet zone included. */
  public int side() {
    return size + 2 * QUIET_ZONE;
  }
}
