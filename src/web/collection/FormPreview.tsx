import { useMemo, useState } from "react";
import { type Answer, expandForm, type FormDefinition } from "../../contracts/collection-model.ts";
import { type ResponseIssue, validateResponse } from "../../contracts/collection-rules.ts";
import { type FieldContext, SectionFields } from "./ResponseFields.tsx";

/** The form as a school will see it (the filling-in page's controls), with its rules running as one types. */
export function FormPreview({ form }: { form: FormDefinition }) {
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const fields = useMemo(() => expandForm(form), [form]);
  const issues = useMemo(() => {
    const byField = new Map<string, ResponseIssue[]>();
    const found = validateResponse(form, answers, {}, { submission: false });
    for (const issue of [...found.errors, ...found.warnings]) {
      const key = issue.field ?? fields[0]?.code ?? "";
      byField.set(key, [...(byField.get(key) ?? []), issue]);
    }
    return byField;
  }, [form, answers, fields]);
  const ctx: FieldContext = {
    answers,
    previous: {},
    prefilled: new Set(),
    issues,
    readOnly: false,
    onChange: (code, answer) =>
      setAnswers((a) => {
        const next = { ...a };
        if (answer) next[code] = answer;
        else delete next[code];
        return next;
      }),
  };
  return (
    <div>
      {form.sections.map((section) => (
        <SectionFields key={section.code} section={section} fields={fields} ctx={ctx} />
      ))}
    </div>
  );
}
