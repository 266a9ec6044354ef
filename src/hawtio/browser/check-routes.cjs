// Hawtio in a real browser, driven by HawtioCheck (mvn -Phawtio-check ..., docs/operations.md "JMX and Hawtio"). For each node
// it does what the steps there tell an operator: Connect > Remote > Add connection (HTTP, localhost, the node's
// management port, /observe/jolokia), Test connection, Connect, log in with the management user, Camel > the node's
// context > routes. It fails unless
//   - Hawtio's Camel tree holds exactly the node's own context, with every readings-<connector> route in it;
//   - the Routes table on the page shows each readings route Started on the leader and Stopped on the standby;
//   - Hawtio's own Jolokia reads of those routes, answered by the node through Hawtio's proxy, say the same State.
// Then it writes the two Routes views side by side to the screenshot file.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const check = JSON.parse(process.env.HAWTIO_CHECK);
const TIMEOUT = 60000;
// Debian's Chromium as root in a closed network: no sandbox (root), no GPU, and none of its background
// connections (each refused by the network, many at a time).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(message) {
  throw new Error(message);
}

/** Hawtio's Jolokia requests to the node pass its proxy: /hawtio/proxy/http/localhost/<port>/observe/jolokia. */
function recordRouteStates(page, port, states) {
  const proxied = `/proxy/http/localhost/${port}/observe/jolokia`;
  page.on('response', async (response) => {
    if (!response.url().includes(proxied) || response.status() !== 200) {
      return;
    }
    let answers;
    try {
      answers = await response.json();
    } catch (e) {
      return;
    }
    for (const answer of [].concat(answers)) {
      const mbean = (answer && answer.request && answer.request.type === 'read' && answer.request.mbean) || '';
      const route = /^org\.apache\.camel:(?=.*\btype=routes\b)(?=.*\bcontext=([^,]+))(?=.*\bname="?([^",]+)"?)/.exec(mbean);
      if (route && answer.value && answer.value.State) {
        states.set(`${route[1]}/${route[2]}`, answer.value.State);
      }
    }
  });
}

async function addConnection(page, node) {
  await page.goto(check.hawtio + 'connect/remote');
  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = page.getByRole('dialog');
  await form.locator('#connection-form-name').fill(node.name);
  // The scheme switch starts on HTTPS; the demo's management port is plain HTTP on loopback.
  if (await form.locator('#connection-form-scheme').isChecked()) {
    await form.locator('label.pf-v5-c-switch[for=connection-form-scheme]').click();
  }
  await form.locator('#connection-form-host').fill('localhost');
  await form.locator('#connection-form-port').fill(String(node.port));
  await form.locator('#connection-form-path').fill('/observe/jolokia');
  await form.getByRole('button', { name: 'Test connection' }).click();
  // Without credentials the node answers 401: Hawtio reads that as reachable, login needed.
  await form.getByText('Connection successful (auth needed)').waitFor({ timeout: TIMEOUT });
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText(`http://localhost:${node.port}/observe/jolokia`).waitFor();
}

async function connectAndLogIn(context, page, node) {
  const opened = context.waitForEvent('page');
  await page.locator('[data-ouia-component-type="PF5/DataListItem"], li, tr')
    .filter({ hasText: `http://localhost:${node.port}/observe/jolokia` })
    .getByRole('button', { name: 'Connect', exact: true }).first().click();
  const console_ = await opened;
  return console_;
}

async function camelRoutes(hawtio, node, states) {
  await hawtio.getByText(`Log in to ${node.name}`).waitFor({ timeout: TIMEOUT });
  await hawtio.getByLabel('Username').fill(check.user);
  await hawtio.getByLabel('Password').fill(check.password);
  await hawtio.getByRole('button', { name: 'Log in' }).click();
  await hawtio.waitForURL(/\/hawtio\/camel/, { timeout: TIMEOUT });
  const prefix = 'org.apache.camel-folder-CamelContexts-folder-';
  const contextItem = hawtio.locator(`li[role=treeitem][id="${prefix}${node.name}-folder"]`);
  await contextItem.waitFor({ timeout: TIMEOUT });
  const contexts = await hawtio.locator('li[role=treeitem]').evaluateAll((items, p) => items.map((i) => i.id)
    .filter((id) => id.startsWith(p) && id.endsWith('-folder') && !id.slice(p.length, -'-folder'.length).includes('-folder-'))
    .map((id) => id.slice(p.length, -'-folder'.length)), prefix);
  if (contexts.length !== 1 || contexts[0] !== node.name) {
    fail(`${node.name}: Hawtio's Camel tree through localhost:${node.port} shows contexts ${JSON.stringify(contexts)}, expected only ${node.name}`);
  }
  const routesId = `${prefix}${node.name}-folder-routes-folder`;
  for (const route of node.routes) {
    await hawtio.locator(`li[role=treeitem][id="${routesId}-${route}-folder"]`).waitFor({ timeout: TIMEOUT });
  }
  await hawtio.locator(`li[role=treeitem][id="${routesId}"] > .pf-v5-c-tree-view__content .pf-v5-c-tree-view__node`).click();
  await hawtio.waitForURL(/\/hawtio\/camel\/routes/, { timeout: TIMEOUT });
  const table = hawtio.locator('main table');
  await table.locator('tbody tr').first().waitFor({ timeout: TIMEOUT });
  const expected = node.leader ? 'Started' : 'Stopped';
  const shown = {};
  for (const route of node.routes) {
    // Hawtio refreshes the table from its Jolokia polls; the state is read once the row has one.
    const row = table.locator('tbody tr').filter({ has: hawtio.locator('td', { hasText: new RegExp(`^${route}$`) }) });
    await row.first().waitFor({ timeout: TIMEOUT });
    const headers = await table.locator('thead th').allInnerTexts();
    const stateColumn = headers.findIndex((h) => h.trim() === 'State');
    if (stateColumn < 0) {
      fail(`${node.name}: the Routes table has no State column (${JSON.stringify(headers)})`);
    }
    shown[route] = (await row.first().locator('td').nth(stateColumn).innerText()).trim();
    if (shown[route] !== expected) {
      fail(`${node.name} (${node.leader ? 'leader' : 'standby'}): Hawtio's Routes table shows ${route} ${shown[route]}, expected ${expected}`);
    }
    const read = states.get(`${node.name}/${route}`);
    if (read !== expected) {
      fail(`${node.name}: Hawtio's Jolokia read of route ${route} through its proxy answered State ${read}, expected ${expected}`);
    }
  }
  const rows = await table.locator('tbody tr').count();
  return { shown, rows };
}

async function sideBySide(context, shots) {
  const page = await context.newPage();
  const panels = shots.map((s) => `<figure><figcaption>${s.caption}</figcaption>`
    + `<img src="data:image/png;base64,${fs.readFileSync(s.file).toString('base64')}"></figure>`).join('');
  await page.setContent(`<html><body style="margin:0;background:#fff;font:18px sans-serif">
    <div style="display:flex;gap:16px;padding:12px">${panels}</div>
    <style>figure{margin:0}figcaption{padding:6px 0 10px}img{display:block;border:1px solid #999}</style></body></html>`);
  await page.screenshot({ path: check.screenshot, fullPage: true });
  await page.close();
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const shots = [];
  try {
    for (const node of check.nodes) {
      const context = await browser.newContext({ viewport: { width: 1500, height: 1400 } });
      const page = await context.newPage();
      await addConnection(page, node);
      const hawtio = await connectAndLogIn(context, page, node);
      const states = new Map();
      recordRouteStates(hawtio, node.port, states);
      const result = await camelRoutes(hawtio, node, states);
      const file = path.join(check.work, `hawtio-${node.name}.png`);
      await hawtio.screenshot({ path: file });
      const role = node.leader ? 'leader' : 'standby';
      const routes = node.routes.map((r) => `${r} ${result.shown[r]}`).join(', ');
      console.log(`hawtio-check: ${node.name} (${role}) via http://localhost:${node.port}/observe/jolokia: `
        + `Camel tree holds context ${node.name} only, ${result.rows} routes; ${routes} on the page and in Hawtio's Jolokia reads`);
      shots.push({ file, caption: `Hawtio 4, connection <b>${node.name}</b> (localhost:${node.port}/observe/jolokia), ${role}: ${routes}` });
      await context.close();
    }
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    await sideBySide(context, shots);
    console.log(`hawtio-check: passed; screenshot ${check.screenshot}`);
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(`hawtio-check: FAILED: ${e.message}`);
  process.exit(1);
});
