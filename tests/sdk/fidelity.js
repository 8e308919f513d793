// fidelity.js: drives gcprov sandbox with the official Genesys Cloud
// JavaScript SDK (purecloud-platform-client-v2), pointed at the sandbox
// through its gateway setting, and checks what the SDK gets back: login,
// create, duplicate create, external id lookup, role grants, a move
// between divisions, license assignment and paging.
// Usage: node fidelity.js BASE_URL
'use strict';

const assert = require('assert');
const platformClient = require('purecloud-platform-client-v2');

let checks = 0;

function check(what, ok) {
    checks++;
    assert.ok(ok, what);
}

// Runs a call that must fail; returns the ErrorBody the SDK rejects with
// (the SDK passes the reply body through when it is JSON).
async function refused(what, promise) {
    try {
        await promise;
    } catch (err) {
        return err && err.body ? err.body : err;
    }
    assert.fail(`${what}: the call succeeded`);
}

async function main() {
    const base = new URL(process.argv[2]);
    const client = platformClient.ApiClient.instance;
    client.setGateway({
        host: base.hostname,
        protocol: 'http',
        port: Number(base.port),
    });
    client.setReturnExtendedResponses(false);

    // Login: a wrong secret is refused, the demo client gets a token.
    const bad = await refused('wrong secret',
        client.loginClientCredentialsGrant('gcprov-demo', 'wrong'));
    check('a wrong secret gets 401', bad.status === 401);
    const auth = await client.loginClientCredentialsGrant('gcprov-demo',
        'gcprov-demo-secret');
    check('login returns a token', auth.accessToken.length > 20);
    check('the token lasts 24 h',
        auth.tokenExpiryTime - Date.now() > 86000 * 1000);

    const users = new platformClient.UsersApi();
    const authz = new platformClient.AuthorizationApi();
    const license = new platformClient.LicenseApi();
    const org = new platformClient.OrganizationApi();

    // Create, then a duplicate create: 409 general.conflict via the SDK.
    const ann = await users.postUsers({
        name: 'Ann SDK', email: 'ann.sdk@corp.example', title: 'Agent',
        department: 'Support',
    });
    check('create returns an active user', ann.state === 'active' &&
        ann.version === 1 && ann.email === 'ann.sdk@corp.example' &&
        typeof ann.id === 'string' && ann.division.name === 'Home');
    const dup = await refused('duplicate create', users.postUsers({
        name: 'Ann Again', email: 'Ann.SDK@corp.example',
    }));
    check('a duplicate email gets 409', dup.status === 409);
    check('the error body says general.conflict',
        dup.code === 'general.conflict' && typeof dup.contextId === 'string' &&
        dup.contextId.length === 36);

    const got = await users.getUser(ann.id, {expand: ['authorization']});
    check('get returns the user with authorization',
        got.id === ann.id && Array.isArray(got.authorization.roles));
    const stale = await refused('stale patch',
        users.patchUser(ann.id, {version: 5, title: 'Lead'}));
    check('a stale version gets 409', stale.status === 409 &&
        stale.code === 'general.conflict');
    const patched = await users.patchUser(ann.id, {version: 1, title: 'Lead'});
    check('a patch bumps the version', patched.version === 2 &&
        patched.title === 'Lead');

    // External ids: add, list, reverse lookup.
    const ids = await users.postUserExternalid(ann.id,
        {authorityName: 'hr', externalKey: 'SDK-1'});
    check('adding an external id returns the list',
        ids.length === 1 && ids[0].externalKey === 'SDK-1');
    const byKey = await users.getUsersExternalidAuthorityNameExternalKey(
        'hr', 'SDK-1');
    check('the external id finds the user', byKey.id === ann.id);
    const missing = await refused('unknown external id',
        users.getUsersExternalidAuthorityNameExternalKey('hr', 'nope'));
    check('an unknown external id gets 404', missing.status === 404 &&
        missing.code === 'not.found');

    // Roles and grants.
    const home = await authz.getAuthorizationDivisionsHome();
    check('the home division', home.homeDivision === true);
    const agents = await authz.getAuthorizationRoles({name: 'Agent'});
    check('roles filter by name', agents.total === 1 &&
        agents.entities[0].baseLicense === 'cloudCX3');
    const agent = agents.entities[0];
    const sups = await authz.getAuthorizationRoles({name: 'Supervisor'});
    const sup = sups.entities[0];
    const added = await authz.putAuthorizationRoleUsersAdd(agent.id,
        [ann.id]);
    check('users/add echoes the ids', added.length === 1 &&
        added[0] === ann.id);
    await authz.postAuthorizationRole(sup.id,
        {subjectIds: [ann.id], divisionIds: [home.id]},
        {subjectType: 'PC_USER'});
    const subject = await authz.getAuthorizationSubject(ann.id);
    const names = subject.grants.map((g) => g.role.name).sort();
    check('the subject holds both grants',
        JSON.stringify(names) === '["Agent","Supervisor"]' &&
        subject.grants[0].division.id === home.id);
    const members = await authz.getAuthorizationRoleUsers(agent.id);
    check('the role lists its member', members.total === 1 &&
        members.entities[0].id === ann.id);

    // Divisions: the SDK's move of objects of type USER.
    const sales = (await authz.getAuthorizationDivisions({name: 'Sales'}))
        .entities[0];
    const before = await users.getUser(ann.id);
    await authz.postAuthorizationDivisionObject(sales.id, 'USER', [ann.id]);
    const moved = await users.getUser(ann.id);
    check('a move changes the user\'s division and version',
        moved.division.id === sales.id && moved.division.name === 'Sales' &&
        moved.version === before.version + 1);
    const lost = await refused('move of an unknown user',
        authz.postAuthorizationDivisionObject(sales.id, 'USER',
            ['00000000-0000-4000-8000-00000000dead']));
    check('a move naming an unknown user gets 400', lost.status === 400 &&
        lost.code === 'bad.request');

    // Licenses: follow roles, assignment per change, batch reads.
    const bo = await users.postUsers({name: 'Bo SDK',
        email: 'bo.sdk@corp.example'});
    const results = await license.postLicenseOrganization({body: {
        assignments: [{licenseId: 'communicate', userIdsAdd: [bo.id],
            userIdsRemove: []}],
    }});
    check('assignment answers per change', results.length === 1 &&
        results[0].userId === bo.id && results[0].result === 'Success');
    const annLicenses = await license.getLicenseUser(ann.id);
    check('licenses follow roles', JSON.stringify(annLicenses.licenses
        .map((l) => l.id).sort()) === '["cloudCX3","wem"]');
    const batch = await license.postLicenseUsers({body: [ann.id, bo.id]});
    check('batch read is keyed by user id',
        batch[bo.id].licenses.includes('communicate'));
    const inferred = await license.postLicenseInfer({body: [sup.id]});
    check('inference lists the role licenses',
        JSON.stringify(inferred.sort()) === '["cloudCX3","wem"]');
    const licPage = await license.getLicenseUsers({pageSize: 1});
    check('license users are paged with plain ids', licPage.total === 3 &&
        licPage.pageCount === 3 && typeof licPage.entities[0].licenses[0] ===
        'string');

    // Paging: walk every page of users.
    for (let i = 0; i < 5; i++) {
        await users.postUsers({name: `Page ${i}`,
            email: `page${i}@corp.example`});
    }
    const seen = new Set();
    let page = {nextUri: 'first'};
    let number = 0;
    let total = 0;
    while (page.nextUri) {
        number++;
        page = await users.getUsers({pageSize: 3, pageNumber: number});
        page.entities.forEach((u) => seen.add(u.id));
        total = page.total;
    }
    check('paging visits every user once', total === 8 && seen.size === 8 &&
        number === 3);
    const two = await users.getUsers({id: [ann.id, bo.id]});
    check('listing by ids', two.total === 2);

    // Search (the sandbox runs with --search-lag 0 here).
    const found = await users.postUsersSearch({query: [{type: 'EXACT',
        fields: ['email'], value: 'bo.sdk@corp.example'}]});
    check('search finds by email', found.total === 1 &&
        found.results[0].id === bo.id);

    // A deleted user keeps its email; search finds it and a state patch
    // restores it, as the Terraform provider does.
    await users.deleteUser(bo.id);
    const gone = await refused('deleted user', users.getUser(bo.id));
    check('a deleted user is 404', gone.status === 404);
    const again = await refused('create over a deleted user',
        users.postUsers({name: 'Bo Again', email: 'bo.sdk@corp.example'}));
    check('its email is still taken', again.code === 'general.conflict');
    const deleted = await users.postUsersSearch({query: [
        {type: 'EXACT', fields: ['email'], value: 'bo.sdk@corp.example'},
        {type: 'EXACT', fields: ['state'], value: 'deleted'}]});
    check('search finds the deleted user', deleted.total === 1 &&
        deleted.results[0].state === 'deleted');
    const restored = await users.patchUser(bo.id,
        {version: deleted.results[0].version, state: 'active'});
    check('a state patch restores it', restored.state === 'active');

    // Limits, and an expired or unknown token.
    const limits = await org.getOrganizationsLimitsNamespace('platform.api');
    check('the token rate limit is reported', limits.entities[0].key ===
        'client.credentials.token.rate.per.minute' &&
        limits.entities[0].value === 300);
    // The rate limit as the SDK sees it: 429 with the ErrorBody limit.
    await fetch(`${base.origin}/_sandbox/faults`, {method: 'PUT',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({'rate-limit': 1, 'rate-window': 60})});
    await client.loginClientCredentialsGrant('gcprov-demo',
        'gcprov-demo-secret');
    await users.getUser(ann.id);
    const limited = await refused('past the rate limit', users.getUser(ann.id));
    check('past the limit the SDK gets 429 with the limit', limited.status ===
        429 && limited.limit.key ===
        'client.credentials.token.rate.per.minute' && limited.limit.value === 1);

    client.setAccessToken('not-a-token');
    const noAuth = await refused('bad token', users.getUser(ann.id));
    check('a bad token gets 401', noAuth.status === 401);

    console.log(`sdk fidelity: ${checks} checks passed`);
}

main().catch((err) => {
    console.error('sdk fidelity: FAIL:', err && err.message ? err.message :
        JSON.stringify(err));
    if (err && err.body) console.error(JSON.stringify(err.body));
    process.exit(1);
});
