// The compiled measured import (bench/compiled-child.ts): `node import-child.mjs <file>`.
import { childImport } from "./import-child.ts";

await childImport(process.argv[2] as string);
