// Drives headless Chromium over a teimark reading edition and prints what
// it measured as one JSON object on stdout; tests/it/html.rs asserts on it.
//
//   node check.mjs --page seed.html --screenshot seed.png [--corrections c.html]
//
// Measured: highlighted elements per type and their ids; whether every
// index back-link lands on its target (clicked in the page, and a few with
// real mouse clicks); the register card on hover and on keyboard focus; the
// toggles (computed style off and on); axe-core's WCAG 2.x A/AA and
// best-practice violations; requests that left the file (there must be
// none). Screenshots go where --screenshot says (plus a phone-sized one).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
if (!args.page || !args.screenshot) {
  console.error("usage: node check.mjs --page PAGE.html --screenshot OUT.png [--corrections PAGE.html]");
  process.exit(2);
}

const TYPES = ["person", "place", "org", "title", "date"];
const AXE = join(here, "node_modules/axe-core/axe.min.js");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "teimark-chromium-"));
const report = { pageErrors: [], requests: [], timings: {} };
const t0 = Date.now();
const mark = (name) => (report.timings[name] = Date.now() - t0);

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1366, height: 900 },
  hasTouch: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (e) => report.pageErrors.push(String(e)));
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    report.requests.push(url);
    return route.abort();
  });

  mark("launched");
  await page.goto(pathToFileURL(resolve(args.page)).href);
  mark("loaded");
  await page.screenshot({ path: args.screenshot });
  const axeWide = await axe(page);
  mark("axe");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: args.screenshot.replace(/\.png$/, "-phone.png") });
  await page.setViewportSize({ width: 1366, height: 900 });
  mark("phone");
  report.seed = await measurePage(page);
  mark("measured");
  report.seed.axe = axeWide;

  if (args.corrections) {
    await page.goto(pathToFileURL(resolve(args.corrections)).href);
    report.corrections = await measureCorrections(page);
    report.corrections.axe = await axe(page);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(report, null, 1));

async function measurePage(page) {
  const out = {};
  out.title = await page.title();
  out.lang = await page.evaluate(() => document.documentElement.lang);
  out.counts = await page.evaluate((types) => {
    const counts = {};
    for (const t of types) counts[t] = document.querySelectorAll(`article .ent.${t}`).length;
    return counts;
  }, TYPES);
  out.ids = await page.evaluate(() => {
    const ents = [...document.querySelectorAll("article .ent")];
    const ids = ents.map((e) => e.id).filter(Boolean);
    return { highlighted: ents.length, withId: ids.length, unique: new Set(ids).size };
  });
  out.indexEntries = await page.evaluate((types) => {
    const n = {};
    for (const t of types) n[t] = document.querySelectorAll(`#index-${t} li.entry`).length;
    return n;
  }, TYPES);

  // Every back-link in the index, followed in the page: the address must
  // name the occurrence, which becomes :target and lies in the viewport.
  out.backLinks = await page.evaluate(() => {
    const result = { total: 0, landed: 0, occurrencesLinked: 0, failures: [] };
    const linked = new Set();
    for (const a of document.querySelectorAll("#index .occ a")) {
      result.total++;
      const id = decodeURIComponent(a.getAttribute("href").slice(1));
      a.click();
      const target = document.getElementById(id);
      const box = target && target.getBoundingClientRect();
      const ok =
        target !== null &&
        location.hash === "#" + id &&
        document.querySelector(":target") === target &&
        box.top >= -1 &&
        box.bottom <= window.innerHeight + 1;
      if (ok) result.landed++;
      else if (result.failures.length < 5) result.failures.push(id);
      if (target && target.matches("article .ent")) linked.add(id);
    }
    result.occurrencesLinked = linked.size;
    return result;
  });

  // Real mouse clicks: a back-link in the persons index, then a name in the text.
  const clicks = [];
  const firstBack = page.locator("#index-person .occ a").first();
  if ((await firstBack.count()) > 0) {
    const href = await firstBack.getAttribute("href");
    await firstBack.click();
    clicks.push(await landed(page, href));
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  const firstName = page.locator("article a.ent.person").first();
  if ((await firstName.count()) > 0) {
    const href = await firstName.getAttribute("href");
    await firstName.click();
    clicks.push(await landed(page, href));
  }
  out.clicks = clicks;
  await page.goto(page.url().split("#")[0]);

  // The register card on hover: the first person whose entry has authority links.
  const probe = await page.evaluate(() => {
    for (const el of document.querySelectorAll("article a.ent.person")) {
      const entry = document.getElementById(el.dataset.entry);
      if (entry && entry.querySelector(".ids a")) return el.id;
    }
    const any = document.querySelector("article a.ent");
    return any ? any.id : null;
  });
  if (probe) {
    await page.hover(`#${probe}`);
    out.hover = await card(page, probe);
    await page.mouse.move(1, 1);
    await page.keyboard.press("Escape");
    out.hoverHidden = await page.evaluate(() => document.getElementById("card").hidden);
  }

  // Touch: a first tap shows the card and stays; a second follows the link.
  if (probe) {
    await page.goto(page.url().split("#")[0]);
    await page.tap(`#${probe}`);
    const first = await card(page, probe);
    first.hash = await page.evaluate(() => location.hash);
    await page.tap(`#${probe}`);
    const second = await page.evaluate(() => location.hash);
    out.tap = { first, second };
  }

  // Keyboard: Tab from the top of a fresh page until a name has focus; its
  // card shows. (Without the fragment: a target is where Tab starts.)
  await page.goto(page.url().split("#")[0]);
  let tabs = 0;
  let focused = null;
  while (tabs < 60) {
    await page.keyboard.press("Tab");
    tabs++;
    focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.matches(".ent") ? el.id : null;
    });
    if (focused) break;
  }
  out.keyboard = { tabs, focused, card: focused ? await card(page, focused) : null };
  await page.keyboard.press("Escape");
  out.keyboard.hiddenAfterEscape = await page.evaluate(() => document.getElementById("card").hidden);
  await page.evaluate(() => document.activeElement && document.activeElement.blur());

  // Toggles: each type's highlight off and on again, read off the computed style.
  out.toggles = {};
  for (const t of TYPES) {
    const box = page.locator(`#show-${t}`);
    if ((await box.count()) === 0) continue;
    const style = () =>
      page.evaluate((t) => {
        const el = document.querySelector(`article .ent.${t}`);
        return getComputedStyle(el).backgroundColor;
      }, t);
    const on = await style();
    await page.locator(`label:has(#show-${t})`).click();
    const off = await style();
    const checkedOff = await box.isChecked();
    await page.locator(`label:has(#show-${t})`).click();
    const again = await style();
    out.toggles[t] = { on, off, again, checkedOff };
  }
  return out;
}

async function landed(page, href) {
  return page.evaluate((href) => {
    const id = decodeURIComponent(href.slice(1));
    const target = document.getElementById(id);
    const box = target && target.getBoundingClientRect();
    return {
      href,
      hash: location.hash,
      isTarget: document.querySelector(":target") === target,
      inView: !!box && box.top >= -1 && box.bottom <= window.innerHeight + 1,
    };
  }, href);
}

async function card(page, id) {
  return page.evaluate((id) => {
    const card = document.getElementById("card");
    const el = document.getElementById(id);
    return {
      id,
      entry: el.dataset.entry,
      visible: !card.hidden && card.getBoundingClientRect().height > 0,
      describedBy: el.getAttribute("aria-describedby"),
      text: card.innerText,
      links: [...card.querySelectorAll("a")].map((a) => a.getAttribute("href")),
    };
  }, id);
}

async function measureCorrections(page) {
  const read = () =>
    page.evaluate(() => {
      const sics = [...document.querySelectorAll("article del.sic")];
      return {
        count: sics.length,
        displayed: sics.filter((s) => getComputedStyle(s).display !== "none").length,
        visibleText: document.querySelector("article").innerText,
      };
    });
  const out = { before: await read() };
  await page.locator("label:has(#show-sic)").click();
  out.shown = await read();
  await page.locator("label:has(#show-sic)").click();
  out.hiddenAgain = await read();
  return out;
}

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
    }),
  );
  return {
    version: result.testEngine.version,
    passes: result.passes.length,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    })),
  };
}
