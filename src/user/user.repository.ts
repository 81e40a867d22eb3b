import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../database/sql';
import { User } from './entities/user.entity';

@Injectable()
export class UserRepository {
  async create(manager: EntityManager, name: string): Promise<Pick<User, 'id' | 'name'>> {
    const { insertId } = await execute(manager, 'INSERT INTO users (name) VALUES (?)', [name]);
    return { id: insertId, name };
  }

  /** Locks the user's row; false when there is no such user. */
  async lockById(manager: EntityManager, id: number): Promise<boolean> {
    return (await selectOne(manager, 'SELECT id FROM users WHERE id = ? FOR UPDATE', [id])) !== null;
  }

  async exists(manager: EntityManager, id: number): Promise<boolean> {
    return (await selectOne(manager, 'SELECT 1 FROM users WHERE id = ?', [id])) !== null;
  }
}
