/**
 * The expressions of a collection form's validation rules (issue 11, docs/collection.md): a
 * reader, a printer and an evaluator, pure and I/O-free so that the browser and the server run
 * the same code.
 *
 * Grammar (whitespace ignored):
 *
 *     sum     = product (("+" | "-") product)*
 *     product = unary (("*" | "/") unary)*
 *     unary   = "-" unary | primary
 *     primary = number | code | "previous" "(" code ")" | "(" sum ")"
 *     number  = digits ["." digits]
 *     code    = [a-z][a-z0-9_]* ("." [a-z0-9_]+)*      (grid cells: computers.desktop.functional)
 *
 * `previous(code)` is last year's answer of that field. A field may itself be called `previous`:
 * the word reads as the function only when a parenthesis follows it.
 */

export type BinaryOperator = "+" | "-" | "*" | "/";

export type Expression =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "field"; readonly code: string }
  | { readonly kind: "previous"; readonly code: string }
  | { readonly kind: "negate"; readonly operand: Expression }
  | {
      readonly kind: "binary";
      readonly operator: BinaryOperator;
      readonly left: Expression;
      readonly right: Expression;
    };

/** A syntax error; `position` counts characters from 1, as the message does. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

type Token =
  | { readonly kind: "number"; readonly value: number; readonly position: number }
  | { readonly kind: "code"; readonly text: string; readonly position: number }
  | { readonly kind: "symbol"; readonly text: string; readonly position: number }
  | { readonly kind: "end"; readonly position: number };

const NUMBER = /\d+(?:\.\d+)?/y;
const CODE = /[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*/y;
const SYMBOLS = "+-*/()";

/** Reads an expression; throws `ExpressionError` naming the position of the first fault. */
export function parseExpression(text: string): Expression {
  const parser = new Parser(tokenize(text));
  const expression = parser.sum();
  parser.expectEnd();
  return expression;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index] ?? "")) {
      index++;
      continue;
    }
    const token = readToken(text, index);
    tokens.push(token.token);
    index = token.next;
  }
  tokens.push({ kind: "end", position: text.length + 1 });
  return tokens;
}

function readToken(text: string, index: number): { token: Token; next: number } {
  const position = index + 1;
  const char = text[index] ?? "";
  if (SYMBOLS.includes(char)) return { token: { kind: "symbol", text: char, position }, next: index + 1 };
  const number = matchAt(NUMBER, text, index);
  if (number !== null)
    return { token: { kind: "number", value: Number(number), position }, next: index + number.length };
  const code = matchAt(CODE, text, index);
  if (code !== null) return { token: { kind: "code", text: code, position }, next: index + code.length };
  throw new ExpressionError(`caractère inattendu « ${char} » en position ${position}`, position);
}

function matchAt(pattern: RegExp, text: string, index: number): string | null {
  pattern.lastIndex = index;
  return pattern.exec(text)?.[0] ?? null;
}

/** Recursive descent over the tokens, one method per line of the grammar. */
class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  sum(): Expression {
    let left = this.product();
    for (let op = this.takeSymbol("+", "-"); op !== null; op = this.takeSymbol("+", "-"))
      left = { kind: "binary", operator: op, left, right: this.product() };
    return left;
  }

  private product(): Expression {
    let left = this.unary();
    for (let op = this.takeSymbol("*", "/"); op !== null; op = this.takeSymbol("*", "/"))
      left = { kind: "binary", operator: op, left, right: this.unary() };
    return left;
  }

  private unary(): Expression {
    if (this.takeSymbol("-") !== null) return { kind: "negate", operand: this.unary() };
    return this.primary();
  }

  private primary(): Expression {
    const token = this.next();
    if (token.kind === "number") return { kind: "number", value: token.value };
    if (token.kind === "code") return this.codeOrPrevious(token.text);
    if (token.kind === "symbol" && token.text === "(") {
      const inner = this.sum();
      this.expectSymbol(")");
      return inner;
    }
    throw this.unexpected(token, "un nombre, un code de champ ou « ( »");
  }

  private codeOrPrevious(text: string): Expression {
    if (text !== "previous" || !this.peekSymbol("(")) return { kind: "field", code: text };
    this.next();
    const token = this.next();
    if (token.kind !== "code") throw this.unexpected(token, "un code de champ");
    this.expectSymbol(")");
    return { kind: "previous", code: token.text };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "end") throw this.unexpected(token, "la fin de l'expression ou un opérateur");
  }

  private expectSymbol(symbol: string): void {
    const token = this.next();
    if (token.kind !== "symbol" || token.text !== symbol) throw this.unexpected(token, `« ${symbol} »`);
  }

  private takeSymbol<S extends string>(...symbols: S[]): S | null {
    const token = this.peek();
    if (token.kind !== "symbol") return null;
    const found = symbols.find((s) => s === token.text);
    if (found !== undefined) this.index++;
    return found ?? null;
  }

  private peekSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === "symbol" && token.text === symbol;
  }

  private peek(): Token {
    // The last token is always `end`, and the parser never moves past it.
    return this.tokens[Math.min(this.index, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  private unexpected(token: Token, expected: string): ExpressionError {
    const found =
      token.kind === "end" ? "fin de l'expression inattendue" : `« ${tokenText(token)} » inattendu`;
    return new ExpressionError(
      `${found} en position ${token.position} : ${expected} attendu`,
      token.position,
    );
  }
}

function tokenText(token: Token): string {
  if (token.kind === "number") return String(token.value);
  if (token.kind === "end") return "";
  return token.text;
}

/** The field codes an expression reads, this year's and last year's, each once in reading order. */
export function expressionFields(expression: Expression): { current: string[]; previous: string[] } {
  const current = new Set<string>();
  const previous = new Set<string>();
  const visit = (e: Expression): void => {
    if (e.kind === "field") current.add(e.code);
    else if (e.kind === "previous") previous.add(e.code);
    else if (e.kind === "negate") visit(e.operand);
    else if (e.kind === "binary") {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(expression);
  return { current: [...current], previous: [...previous] };
}

const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = { "+": 1, "-": 1, "*": 2, "/": 2 };

/**
 * Writes an expression back as text that `parseExpression` reads into the same tree, with only the
 * parentheses the tree needs (a right operand of the same precedence keeps them: `a - (b - c)`).
 * Numbers print with `String`, so a literal below 1e-6 or above 1e21 does not read back.
 */
export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case "number":
      return String(expression.value);
    case "field":
      return expression.code;
    case "previous":
      return `previous(${expression.code})`;
    case "negate":
      return `-${printOperand(expression.operand, 3, false)}`;
    case "binary": {
      const level = PRECEDENCE[expression.operator];
      const left = printOperand(expression.left, level, false);
      return `${left} ${expression.operator} ${printOperand(expression.right, level, true)}`;
    }
  }
}

function printOperand(operand: Expression, level: number, right: boolean): string {
  const text = printExpression(operand);
  if (operand.kind !== "binary") return text;
  const own = PRECEDENCE[operand.operator];
  return own < level || (right && own === level) ? `(${text})` : text;
}

/**
 * Computes an expression with the values `read` gives (this year's or last year's). Division by
 * zero and any non-finite intermediate result give NaN, which every later step keeps, so that
 * `1 / (1 / 0)` cannot come back as a plausible 0: the caller skips a NaN result.
 */
export function evaluateExpression(
  expression: Expression,
  read: (code: string, previous: boolean) => number,
): number {
  switch (expression.kind) {
    case "number":
      return expression.value;
    case "field":
      return read(expression.code, false);
    case "previous":
      return read(expression.code, true);
    case "negate":
      return -evaluateExpression(expression.operand, read);
    case "binary":
      return applyOperator(
        expression.operator,
        evaluateExpression(expression.left, read),
        evaluateExpression(expression.right, read),
      );
  }
}

function applyOperator(operator: BinaryOperator, a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.NaN;
  if (operator === "/" && b === 0) return Number.NaN;
  const result = operator === "+" ? a + b : operator === "-" ? a - b : operator === "*" ? a * b : a / b;
  return Number.isFinite(result) ? result : Number.NaN;
}
