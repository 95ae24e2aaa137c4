// The application form. Checks are the API's: its typed ApplicationInvalid answer names each field's problem
// (NIK area/birth date/sex, KK, age, addresses…) and the message is shown under that field.

import { gql } from "../api.js";
import { clearFieldErrors, errorBox, field, h, replace, showFieldError } from "../dom.js";
import { L } from "../i18n.js";
import { APPLY } from "./docs.js";

const EDUCATION = ["NONE", "SD", "SMP", "SMA", "SMK", "D1_D3", "D4_S1", "S2_S3"];
const EMPLOYMENT = {
  JOB_SEEKER: ["Pencari kerja", "Job seeker"],
  LAID_OFF: ["Korban PHK", "Laid off"],
  EMPLOYED_UPSKILLING: ["Pekerja (tingkatkan keterampilan)", "Employed, upskilling"],
  FURLOUGHED: ["Dirumahkan", "Furloughed"],
  MICRO_BUSINESS: ["Pelaku usaha mikro/kecil", "Micro/small business"],
};

function input(name, props = {}) {
  return h("input", { name, type: "text", ...props });
}

function select(name, options) {
  return h("select", { name }, options.map(([value, label]) => h("option", { value }, label)));
}

function address(prefix, provinces) {
  const legend = prefix === "ktpAddress" ? L("Alamat sesuai KTP", "Address on the KTP") : L("Domisili", "Domicile");
  return h("fieldset", { className: "stack", id: `fs-${prefix}` }, h("legend", {}, legend),
    field(L("Jalan", "Street"), input(`${prefix}.street`, { autocomplete: "street-address" })),
    field(L("Provinsi", "Province"), select(`${prefix}.provinceCode`, [["", L("— pilih —", "— choose —")], ...provinces.map((p) => [p.code, `${p.name} (${p.code})`])])),
    field(L("Kode kabupaten/kota", "Regency/city code"), input(`${prefix}.regencyCode`, { placeholder: "32.01", inputMode: "decimal" }),
      L("Dua digit provinsi, titik, dua digit (mis. 32.01).", "Province digits, a dot, two digits (e.g. 32.01).")));
}

function values(form, sameAddress) {
  const v = (name) => form.elements[name].value.trim();
  const addr = (p) => ({ street: v(`${p}.street`), provinceCode: v(`${p}.provinceCode`), regencyCode: v(`${p}.regencyCode`) });
  const ktp = addr("ktpAddress");
  return {
    email: v("email"), phone: v("phone"), nik: v("nik"), kkNumber: v("kkNumber"), dateOfBirth: v("dateOfBirth"),
    fullName: v("fullName"), sex: v("sex"), education: v("education"), employmentStatus: v("employmentStatus"),
    trainingInterest: v("trainingInterest"), consent: form.elements.consent.checked,
    ktpAddress: ktp, domicile: sameAddress ? ktp : addr("domicile"),
  };
}

/** The form; `onApplied` runs after the case is recorded. */
export function applyForm(provinces, onApplied) {
  const requestId = "web-" + crypto.randomUUID(); // one per form: a resubmission is the same request
  const general = h("div");
  const same = h("input", { type: "checkbox", name: "sameAddress", checked: true, id: "f-sameAddress" });
  const domicile = address("domicile", provinces);
  domicile.hidden = true;
  same.addEventListener("change", () => { domicile.hidden = same.checked; });
  const form = h("form", { className: "stack", id: "apply-form", noValidate: true },
    field(L("Nama lengkap (sesuai KTP)", "Full name (as on the KTP)"), input("fullName", { autocomplete: "name" })),
    field("NIK", input("nik", { inputMode: "numeric", maxLength: 16, autocomplete: "off" }), L("16 digit pada KTP.", "16 digits on the KTP.")),
    field(L("Nomor KK", "Family card (KK) number"), input("kkNumber", { inputMode: "numeric", maxLength: 16, autocomplete: "off" })),
    field(L("Tanggal lahir", "Date of birth"), input("dateOfBirth", { type: "date", autocomplete: "bday" })),
    field(L("Jenis kelamin", "Sex"), select("sex", [["M", L("Laki-laki", "Male")], ["F", L("Perempuan", "Female")]])),
    field("Email", input("email", { type: "email", autocomplete: "email" })),
    field(L("Nomor HP", "Mobile number"), input("phone", { type: "tel", autocomplete: "tel", placeholder: "08…" })),
    address("ktpAddress", provinces),
    h("div", { className: "check" }, same, h("label", { htmlFor: same.id }, L("Domisili sama dengan KTP", "Domicile is the KTP address"))),
    domicile,
    field(L("Pendidikan terakhir", "Education"), select("education", EDUCATION.map((e) => [e, e.replace("_", "–")]))),
    field(L("Status pekerjaan", "Employment status"), select("employmentStatus", Object.entries(EMPLOYMENT).map(([k, [id, en]]) => [k, L(id, en)]))),
    field(L("Minat pelatihan", "Training interest"), input("trainingInterest", { placeholder: L("mis. pemasaran digital", "e.g. digital marketing") })),
    h("div", { className: "field check", dataset: { field: "consent" } },
      h("input", { type: "checkbox", name: "consent", id: "f-consent", "aria-describedby": "f-consent-error" }),
      h("label", { htmlFor: "f-consent" }, L("Saya menyetujui syarat dan ketentuan", "I agree to the terms and conditions")),
      h("p", { className: "field-error", id: "f-consent-error", hidden: true })),
    general,
    h("button", { type: "submit", id: "apply-submit" }, L("Daftar", "Apply")));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    replace(general);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const result = (await gql(APPLY, { input: { requestId, ...values(form, same.checked) } })).apply;
      if (result.__typename === "ApplySuccess") return onApplied(result.case);
      const unplaced = [];
      for (const problem of result.fieldErrors || []) {
        const name = same.checked ? problem.field.replace(/^domicile\./, "ktpAddress.") : problem.field;
        if (!showFieldError(form, name, problem.message)) unplaced.push(problem.message);
      }
      replace(general, errorBox([result.message, ...unplaced].join(" ")));
      form.querySelector("[aria-invalid=true]")?.focus();
    } catch (err) {
      replace(general, errorBox(err.message));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

