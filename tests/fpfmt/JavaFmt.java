// JavaFmt.java: the Java side of tests/fpfmt/regen.sh and
// tests/e2e/fpfmt_java.sh.  Same requests and answers as fpfmt_cli.c, MARS
// style only (fm, dm, rfm, rdm), computed as MARS 4.5 does:
// Float.toString / Double.toString, new Float(s.trim()) / new Double(s.trim()).
import java.io.*;

public class JavaFmt {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "ISO-8859-1"));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, "ISO-8859-1")));
        String line;
        while ((line = in.readLine()) != null) {
            int sp = line.indexOf(' ');
            String op = line.substring(0, sp), arg = line.substring(sp + 1);
            switch (op) {
            case "fm":
                out.println(Float.toString(Float.intBitsToFloat((int) Long.parseLong(arg, 16))));
                break;
            case "dm":
                out.println(Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(arg, 16))));
                break;
            case "rfm":
                try {
                    out.printf("%08x%n", Float.floatToRawIntBits(Float.parseFloat(arg.trim())));
                } catch (NumberFormatException e) {
                    out.println("error");
                }
                break;
            case "rdm":
                try {
                    out.printf("%016x%n", Double.doubleToRawLongBits(Double.parseDouble(arg.trim())));
                } catch (NumberFormatException e) {
                    out.println("error");
                }
                break;
            default:
                throw new IllegalArgumentException("bad request " + op);
            }
        }
        out.flush();
    }
}
