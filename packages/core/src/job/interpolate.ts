import { isScalar, visit } from 'yaml';
import type { YamlSource } from './yaml-source.js';

const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string scalar of the document with values from
 * `env`; `$${` writes a literal `${`. Each unset variable (without default) or malformed reference
 * becomes a problem at its own line:col. Substituted values stay strings.
 */
export function interpolate(source: YamlSource, env: Readonly<Record<string, string | undefined>>): void {
  visit(source.doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const value = node.value;
      const start = node.range?.[0] ?? 0;
      const written = (node as { source?: string }).source ?? value;
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
      node.value = value.replace(PATTERN, (match, name?: string, fallback?: string) => {
        if (match === '$${') return '${';
        const where = written.indexOf(match);
        const offset = start + (where >= 0 ? where + quoted : 0);
        if (name === undefined) {
          source.problems.push(
            source.problemAt(
              offset,
              `malformed variable reference \`${match}\`; write \${NAME} or \${NAME:-default} (NAME: letters, digits, _)`,
            ),
          );
          return match;
        }
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        source.problems.push(
          source.problemAt(
            offset,
            `environment variable ${name} is not set; set it or write \${${name}:-default}`,
          ),
        );
        return match;
      });
    },
  });
}
