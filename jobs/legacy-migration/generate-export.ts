/**
 * Writes data/KLANTEN.TXT, the legacy export of this example, byte for byte as the old system
 * produced it: Windows-1252, CRLF line ends, `;`, names padded with spaces. Run it again only to
 * change the example: `npx tsx jobs/legacy-migration/generate-export.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rows = [
  'KLANTNR;ACHTERNAAM          ;VOORNAAM    ;TUSSENV;GESLACHT;GEBDATUM;GEBLAND   ;STRAAT              ;HUISNR;POSTCODE;PLAATS      ;LAND;EMAIL',
  '000101;Martens             ;Zoë         ;       ;2       ;19850412;België    ;Meir                ;12    ;2000    ;Antwerpen   ;BE  ;zoe.martens@example.be',
  '000102;Peeters             ;José        ;       ;1       ;19770101;Nederland ;Oudegracht          ;88    ;3511 AV ;Utrecht     ;NL  ;jose.peeters@example.nl',
  '000103;Weiß                ;Jürgen      ;       ;1       ;19690723;Duitsland ;Königsallee         ;5     ;40212   ;Düsseldorf  ;DE  ;NULL',
  '000104;Dubois              ;Renée       ;       ;2       ;19920214;Frankrijk ;Rue de Rivoli       ;140   ;75001   ;Paris       ;FR  ;renee.dubois@example.fr',
  '000105;D’Hondt             ;Chloë       ;       ;9       ;19990909;België    ;Veldstraat          ;3     ;9000    ;Gent        ;BE  ;NULL',
  '000106;Brouwer             ;Anneloes    ;de     ;2       ;19800530;Nederland ;Grote Markt         ;1     ;9711 LV ;Groningen   ;NL  ;a.debrouwer@example.nl',
  '000107;Çelik               ;Emre        ;       ;3       ;19880318;Nederland ;Kanaalweg           ;17    ;3526 KL ;Utrecht     ;NL  ;NULL',
  '000108;Østergaard          ;Søren       ;       ;1       ;19750101;Denemarken;Strøget             ;9     ;1160    ;København   ;DK  ;NULL',
];

/** Windows-1252 bytes: Latin-1 below 256, the 0x80-0x9F block for the few characters it adds. */
const EXTRA: Record<string, number> = {
  '€': 0x80,
  '’': 0x92,
  '‘': 0x91,
  '–': 0x96,
  Š: 0x8a,
  š: 0x9a,
  Œ: 0x8c,
  œ: 0x9c,
};

function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0) ?? 0x3f;
      if (EXTRA[char] !== undefined) return EXTRA[char];
      if (code < 0x80 || (code >= 0xa0 && code < 0x100)) return code;
      throw new Error(`${char} has no Windows-1252 byte`);
    }),
  );
}

const file = fileURLToPath(new URL('./data/KLANTEN.TXT', import.meta.url));
writeFileSync(file, windows1252(`${rows.join('\r\n')}\r\n`));
process.stdout.write(`wrote ${file}\n`);
