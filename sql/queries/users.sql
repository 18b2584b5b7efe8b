-- Staff accounts (the people who sign in to /staff) and the sign-in slow-down.

-- name: insert_user
-- Create an account; null when the name (any case) is taken.
insert into staff_users (name, role, password_hash)
values (:name, :role, :password_hash)
    on conflict (lower(name)) do nothing
returning id;

-- name: list_users
-- Every account, disabled ones too, with the last sign-in.
select id, name, role, created_at, disabled_at, last_sign_in_at,
       (select count(*) from staff_sessions s
         where s.user_id = u.id and s.revoked_at is null and s.expires_at > now()) as sessions
  from staff_users u
 order by lower(name);

-- name: user_by_name
-- One account by name, any case.
select id, name, role, password_hash, disabled_at from staff_users where lower(name) = lower(:name);

-- name: lock_user
-- One account by id, locked for a change.
select id, name, role, disabled_at from staff_users where id = :id for update;

-- name: set_role
-- Change an account's role.
update staff_users set role = :role where id = :id;

-- name: set_disabled
-- Disable (or enable) an account.
update staff_users set disabled_at = case when :disabled::boolean then now() end where id = :id;

-- name: set_password_hash
-- A new hash for the same password (argon2 parameters raised) or a new password.
update staff_users set password_hash = :password_hash where id = :id;

-- name: revoke_user_sessions
-- Sign an account out everywhere (disable, role change, password change).
update staff_sessions set revoked_at = now() where user_id = :user_id and revoked_at is null;

-- name: failures
-- Failed sign-ins in a row for this account and recent ones from this peer, with the latest of each.
select (select count(*) from sign_in_failures
         where account = :account and at > now() - interval '1 hour') as account_failures,
       (select max(at) from sign_in_failures
         where account = :account and at > now() - interval '1 hour') as account_last,
       (select count(*) from sign_in_failures
         where peer = :peer and at > now() - interval '1 hour') as peer_failures,
       (select max(at) from sign_in_failures
         where peer = :peer and at > now() - interval '1 hour') as peer_last,
       now() as now;

-- name: insert_failure
-- One failed sign-in.
insert into sign_in_failures (account, peer) values (:account, :peer);

-- name: clear_failures
-- A successful sign-in ends the account's run of failures (the peer's count stays).
delete from sign_in_failures where account = :account or at < now() - interval '1 day';
