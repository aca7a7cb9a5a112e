/**
 * `npm run compile`: the package as Node runs it, ES modules and `.d.ts` declarations in lib/, from the entry points
 * in package.json's `exports`. The sources import relative modules without extensions (a bundler's resolution);
 * Node and `moduleResolution: nodenext` need the file, so every relative specifier is rewritten to the `.js` file it
 * compiles to, in the JavaScript and in the declarations alike. The command (`bin`) is one bundled file: loading the
 * foundation SDK's few hundred CommonJS files one by one would take most of its run time.
 */
import {
  chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
export const libDir = join(root, 'lib');

interface PackageJson {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
}

/** The source file each compiled entry point comes from: `./lib/config/index.js` → `config/index.ts`. */
export function entrySources(pkg: PackageJson): string[] {
  const targets = Object.values(pkg.exports)
    .flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
  const sources = targets
    .map((target) => target.replace(/^\.\//, ''))
    .filter((target) => target.startsWith('lib/') && target.endsWith('.js'))
    .map((target) => join(root, target.slice('lib/'.length).replace(/\.js$/, '.ts')));
  return [...new Set(sources)].sort();
}

/** Files read at run time rather than imported, copied beside the compiled modules. */
const dataFiles = ['config/config.schema.json'];

/** The command's source, and where its bundle goes (package.json's `bin`). */
const commandSource = join(root, 'cli/main.ts');
const commandFile = (pkg: PackageJson) => join(root, pkg.bin['flux-dashboards']!);

/** The name, version, license and license text of every package the bundle holds code of. */
function thirdPartyLicenses(inputs: string[]): string {
  const packageFolders = new Set(inputs.flatMap((input) => {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    return match ? [join(root, match[1]!)] : [];
  }));
  return [...packageFolders].sort().map((folder) => {
    const manifest = readFileSync(join(folder, 'package.json'), 'utf8');
    const { name, version, license } = JSON.parse(manifest) as Record<string, string>;
    const licenseFile = readdirSync(folder).find((file) => /^(licen[cs]e|copying)/i.test(file));
    const text = licenseFile
      ? readFileSync(join(folder, licenseFile), 'utf8').trim()
      : `(${license}; the package ships no license file)`;
    return `${name}@${version} (${license})\n\n${text}\n`;
  }).join(`\n${'-'.repeat(80)}\n\n`);
}

/** Bundles the command with its dependencies into one ES module, beside a copy of the schema it reads. */
function bundleCommand(pkg: PackageJson): string {
  const outfile = commandFile(pkg);
  const result = esbuild.buildSync({
    // Its commands are chunks of their own, loaded when one runs; all beside the schema the configuration reads.
    entryPoints: [{ in: commandSource, out: basename(outfile, '.js') }],
    outdir: dirname(outfile),
    splitting: true,
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    // The bundled CommonJS dependencies call require() for Node's own modules.
    banner: {
      js: "import { createRequire as requireOf } from 'node:module'; const require = requireOf(import.meta.url);",
    },
    logLevel: 'silent',
  });
  copyFileSync(join(root, 'config/config.schema.json'), join(dirname(outfile), 'config.schema.json'));
  const licenses = thirdPartyLicenses(Object.keys(result.metafile.inputs));
  writeFileSync(join(dirname(outfile), 'THIRD-PARTY-LICENSES.txt'), licenses);
  chmodSync(outfile, 0o755);
  return [...result.errors, ...result.warnings]
    .map((message) => `${message.location?.file ?? ''}: ${message.text}`)
    .join('\n');
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** `./scope` → `./scope.js`, `../config` → `../config/index.js`; anything else (packages, .json) unchanged. */
function nodeSpecifier(specifier: string, fromFile: string): string {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  const target = resolve(dirname(fromFile), specifier);
  if (isFile(`${target}.ts`)) return `${specifier}.js`;
  if (isFile(join(target, 'index.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  return specifier;
}

function rewriteSpecifiers<T extends ts.SourceFile | ts.Bundle>(context: ts.TransformationContext) {
  const { factory } = context;
  return (node: T): T => {
    if (!ts.isSourceFile(node)) return node;
    // Declarations of a.d.ts carry the source's file name, so specifiers resolve against the source folder.
    const fromFile = node.fileName.replace(/\.d\.ts$/, '.ts');
    const literal = (text: ts.StringLiteral) => factory.createStringLiteral(nodeSpecifier(text.text, fromFile), true);
    const visit = (child: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(child) && ts.isStringLiteral(child.moduleSpecifier)) {
        const specifier = literal(child.moduleSpecifier);
        return factory.updateImportDeclaration(child, child.modifiers, child.importClause, specifier, child.attributes);
      }
      if (ts.isExportDeclaration(child) && child.moduleSpecifier && ts.isStringLiteral(child.moduleSpecifier)) {
        const specifier = literal(child.moduleSpecifier);
        const { modifiers, isTypeOnly, exportClause, attributes } = child;
        return factory.updateExportDeclaration(child, modifiers, isTypeOnly, exportClause, specifier, attributes);
      }
      const importType = ts.isImportTypeNode(child) && ts.isLiteralTypeNode(child.argument);
      if (importType && ts.isStringLiteral(child.argument.literal)) {
        const argument = factory.updateLiteralTypeNode(child.argument, literal(child.argument.literal));
        return factory.updateImportTypeNode(
          child,
          argument,
          child.attributes,
          child.qualifier,
          child.typeArguments?.map((type) => ts.visitNode(type, visit) as ts.TypeNode),
          child.isTypeOf,
        );
      }
      return ts.visitEachChild(child, visit, context);
    };
    return ts.visitEachChild(node, visit, context) as T;
  };
}

/** Compiles into lib/ and returns tsc's diagnostics as text (empty when it succeeded). */
export function compilePackage(): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  rmSync(libDir, { recursive: true, force: true });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    esModuleInterop: true,
    skipLibCheck: true,
    isolatedModules: true,
    declaration: true,
    types: ['node'],
    rootDir: root,
    outDir: libDir,
    newLine: ts.NewLineKind.LineFeed,
  };
  const program = ts.createProgram(entrySources(pkg), options);
  const transformers = { after: [rewriteSpecifiers<ts.SourceFile>], afterDeclarations: [rewriteSpecifiers] };
  const result = program.emit(undefined, undefined, undefined, false, transformers);
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  for (const file of dataFiles) {
    mkdirSync(dirname(join(libDir, file)), { recursive: true });
    copyFileSync(join(root, file), join(libDir, file));
  }
  const host = {
    getCanonicalFileName: (name: string) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  const typeProblems = diagnostics.length ? ts.formatDiagnostics(diagnostics, host) : '';
  return [typeProblems, bundleCommand(pkg)].filter(Boolean).join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const problems = compilePackage();
  if (problems) {
    process.stderr.write(problems);
    process.exit(1);
  }
  // On stderr: `npm pack --json` prints its JSON on stdout after this script.
  console.error(`compiled the package into ${relative(process.cwd(), libDir) || '.'}/`);
}
