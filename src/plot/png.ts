/**
 * A plot's SVG as PNG, through resvg (a Rust SVG renderer shipped as prebuilt binaries in
 * @resvg/resvg-js). It loads here, on first use, so no other command or format pays for it, and
 * renders on libuv's thread pool, so the main thread stays free to answer signals.
 *
 * Text needs fonts: the SVG asks for "DejaVu Sans, Helvetica, Arial, sans-serif", and resvg reads
 * the system's fonts. DejaVu Sans, where installed, is also the default and the sans-serif family,
 * so a PNG drawn on any machine that has it is the same bytes. A machine with no usable font at all
 * would draw a picture without words: that is checked, and said.
 *
 * The PNG is 1:1 with the SVG (its width and height in pixels) and carries the SVG's title and
 * description as iTXt chunks ("Title", "Description"), which image viewers and indexers show.
 */
import { existsSync } from "node:fs";
import { crc32 } from "node:zlib";
import type { ResvgRenderOptions } from "@resvg/resvg-js";

/** Where DejaVu Sans lives on the common systems (Debian/Ubuntu, Fedora, Arch, Alpine, openSUSE, macOS). */
const DEJAVU_PATHS = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/DejaVuSans.ttf",
  "/Library/Fonts/DejaVuSans.ttf",
];

const hasDejaVu = () => DEJAVU_PATHS.some((p) => existsSync(p));

export interface PngImage {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Problems worth a line on stderr (no font for the text). */
  readonly warnings: string[];
}

export interface PngText {
  readonly title: string;
  readonly description: string;
}

/** The PNG signature: every PNG file starts with these eight bytes. */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export async function svgToPng(svg: string, text: PngText): Promise<PngImage> {
  const { renderAsync } = await import("@resvg/resvg-js");
  const dejavu = hasDejaVu();
  const options: ResvgRenderOptions = {
    font: dejavu ? { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" } : { loadSystemFonts: true },
    fitTo: { mode: "original" },
    // resvg would print its own warnings (an unknown font) on stderr, which belongs to collapse.
    logLevel: "off",
  };
  const warnings: string[] = [];
  if (!dejavu && !(await drawsText(renderAsync, options))) {
    warnings.push(
      "no font found for the PNG's text, which is left out; install a sans-serif font (Debian: apt-get install fonts-dejavu-core) or use --format svg",
    );
  }
  const image = await renderAsync(svg, options);
  const png = withText(image.asPng(), [
    ["Title", text.title],
    ["Description", text.description],
  ]);
  return { png, width: image.width, height: image.height, warnings };
}

/** Whether the system's fonts draw a letter in the SVG's font list (some pixel is not transparent). */
async function drawsText(render: typeof import("@resvg/resvg-js").renderAsync, options: ResvgRenderOptions): Promise<boolean> {
  const probe =
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><text x="2" y="18" font-size="18" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">x</text></svg>';
  const pixels = (await render(probe, options)).pixels;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) return true;
  return false;
}

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, "latin1"), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An iTXt chunk: keyword, no compression, no language tag, UTF-8 text. */
function itxt(keyword: string, text: string): Uint8Array {
  return chunk("iTXt", Buffer.concat([Buffer.from(keyword, "latin1"), Uint8Array.of(0, 0, 0, 0, 0), Buffer.from(text, "utf8")]));
}

/** `png` with iTXt chunks inserted before its IEND chunk (the last 12 bytes of a PNG). */
export function withText(png: Uint8Array, entries: ReadonlyArray<readonly [keyword: string, text: string]>): Uint8Array {
  const end = png.length - 12;
  if (end < PNG_SIGNATURE.length || Buffer.from(png.subarray(end + 4, end + 8)).toString("latin1") !== "IEND") return png;
  return Buffer.concat([png.subarray(0, end), ...entries.map(([k, t]) => itxt(k, t)), png.subarray(end)]);
}
